// Loads the service's Swagger UI in Debian's Chromium (never a downloaded browser), checks that the operations
// render, executes GET /incidents through "Try it out" → "Execute" and checks the rendered response code: 401
// before the Authorize button is used, 200 after an API key is entered there.
//
//   SWAGGER_API_KEY=... node check.mjs BASE_URL SCREENSHOT_DIR      (run by scripts/check-swagger-ui.sh)
//
// Prints PASS/FAIL lines; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [baseUrl, screenshotDir] = process.argv.slice(2);
const apiKey = process.env.SWAGGER_API_KEY;
if (!baseUrl || !screenshotDir || !apiKey) {
  console.error('usage: SWAGGER_API_KEY=KEY node check.mjs BASE_URL SCREENSHOT_DIR');
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

  // Executes and returns the rendered response code once it differs from the previous one (Swagger UI replaces
  // the live response in place; rendering the ~370 KB body can take a while on a busy machine).
  const execute = async (previous) => {
    // The click itself waits while the page is busy rendering (once it timed out at 20 s in CI): the same allowance.
    await operation.locator('button.execute').click({ timeout: 3 * timeout });
    const status = operation.locator('.live-responses-table .response .response-col_status', previous ? { hasNotText: previous } : {}).first();
    await status.waitFor({ timeout: 3 * timeout });
    return (await status.textContent())?.trim();
  };

  const anonymous = await execute(undefined);
  check(anonymous === '401', `without credentials the rendered response code of GET /incidents is ${anonymous}`);
  await page.screenshot({ path: path.join(screenshotDir, 'swagger-ui-401.png') });

  // The Authorize button: enter the API key in the ApiKey scheme's form, authorize, close the dialog.
  await page.locator('.auth-wrapper button.authorize').click();
  const apiKeyForm = page.locator('.dialog-ux .auth-container').filter({ hasText: 'X-Api-Key' });
  await apiKeyForm.locator('input').fill(apiKey);
  await apiKeyForm.locator('button.authorize').click();
  await apiKeyForm.locator('button', { hasText: 'Logout' }).waitFor();
  pass('the Authorize dialog accepted the API key (it offers Logout)');
  await page.locator('.dialog-ux button.btn-done').first().click();
  pass('"Authorize" used with the API key');

  const code = await execute(anonymous);
  check(code === '200', `with the API key the rendered response code of GET /incidents is ${code}`);
  const body = operation.locator('.live-responses-table .response-col_description pre').first();
  const text = (await body.textContent({ timeout: 3 * timeout })) ?? '';
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
