// Loads the service's Swagger UI in Debian's Chromium (never a downloaded browser), checks that the operations
// render, executes GET /incidents through "Try it out" → "Execute" and checks the rendered response code.
//
//   node check.mjs BASE_URL SCREENSHOT_DIR      (run by scripts/check-swagger-ui.sh)
//
// Prints PASS/FAIL lines; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [baseUrl, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !screenshotDir) {
  console.error('usage: node check.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}

const expected = ['GET /incidents', 'GET /incidents/{employeeId}', 'GET /incidents/unresolved', 'GET /status'];
const timeout = 20_000;
let failures = 0;
const pass = (what) => console.log(`PASS: ${what}`);
const fail = (what) => { console.log(`FAIL: ${what}`); failures++; };
const check = (ok, what) => (ok ? pass(what) : fail(what));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  timeout,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.setDefaultTimeout(timeout);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const response = await page.goto(`${baseUrl}/swagger/index.html`, { waitUntil: 'load' });
  check(response?.status() === 200, `GET /swagger/index.html answers ${response?.status()}`);

  // The UI fetches /swagger/v1/swagger.json and then renders one .opblock per operation.
  await page.locator('.opblock').first().waitFor();
  const title = (await page.locator('.info .title').first().textContent())?.trim();
  check(title?.startsWith('IncidentService'), `the document title renders (${title})`);
  const operations = await page.locator('.opblock .opblock-summary').evaluateAll((summaries) =>
    summaries.map((summary) => {
      const method = summary.querySelector('.opblock-summary-method')?.textContent?.trim();
      const pathElement = summary.querySelector('.opblock-summary-path');
      return `${method} ${pathElement?.getAttribute('data-path') ?? pathElement?.textContent?.trim()}`;
    }));
  for (const operation of expected) {
    check(operations.includes(operation), `operation ${operation} renders`);
  }
  console.log(`  rendered operations: ${operations.join(', ')}`);
  await page.screenshot({ path: path.join(screenshotDir, 'swagger-ui-operations.png') });

  // Expand GET /incidents (exactly that path, not its longer siblings), try it out, execute.
  const operation = page.locator('.opblock.opblock-get').filter({
    has: page.locator('.opblock-summary-path[data-path="/incidents"]'),
  });
  check(await operation.count() === 1, 'exactly one GET /incidents operation block');
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  pass('"Try it out" clicked');
  await operation.locator('button.execute').click();
  pass('"Execute" clicked');

  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  const code = (await status.textContent())?.trim();
  check(code === '200', `the rendered response code of GET /incidents is ${code}`);
  const body = operation.locator('.live-responses-table .response-col_description pre').first();
  const text = (await body.textContent()) ?? '';
  check(/"critical"/.test(text), `the rendered response body has incidents (${text.length} characters shown)`);

  const screenshot = path.join(screenshotDir, 'swagger-ui-executed.png');
  await operation.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  console.log(`  screenshots: ${screenshotDir}/swagger-ui-operations.png, ${screenshot}`);
  check(pageErrors.length === 0, `no script errors on the page${pageErrors.length ? ` (${pageErrors.join('; ')})` : ''}`);
} catch (error) {
  fail(`the Swagger UI check stopped: ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
