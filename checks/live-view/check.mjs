// The live view (/) in Debian's Chromium (never a downloaded browser), against two running services:
//   BASE  — authentication on (an API key), a short refresh interval, the embedded simulator (1.1–1.7 k employees);
//   LARGE — open, the embedded simulator scaled to ~50 k employees.
// Checks: the API-key prompt, first render, ranking equal to /incidents/summary, a timeline, a new incident reaching
// the page without a reload, a stale feed shown, axe-core with no serious or critical violation, no request to
// another origin, the disconnection shown when the service stops; at 50 k: every employee listed, few DOM rows.
//
//   LIVE_API_KEY=... SERVICE_PID=... node check.mjs BASE LARGE SCREENSHOT      (run by scripts/check-live-view.sh)
//
// Prints PASS/FAIL lines and MEASURE lines (timings are reported, never judged); exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [base, large, screenshot] = process.argv.slice(2);
const apiKey = process.env.LIVE_API_KEY;
const servicePid = Number(process.env.SERVICE_PID);
if (!base || !large || !screenshot || !apiKey || !servicePid) {
  console.error('usage: LIVE_API_KEY=KEY SERVICE_PID=PID node check.mjs BASE LARGE SCREENSHOT');
  process.exit(2);
}
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const timeout = 30_000;
let failures = 0;
const pass = (what) => console.log(`PASS: ${what}`);
const fail = (what) => { console.log(`FAIL: ${what}`); failures++; };
const check = (ok, what) => (ok ? pass(what) : fail(what));
const measure = (what, value) => console.log(`MEASURE: ${what}: ${value}`);

async function api(path, key) {
  // Identity, so that the ETag is the one the change stream names (a compressed answer's tag has the coding appended).
  const response = await fetch(new URL(path, base), { headers: { 'Accept-Encoding': 'identity', ...(key ? { 'X-Api-Key': key } : {}) } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return { etag: response.headers.get('ETag'), body: await response.json() };
}

function ranked(employees) {
  return Object.entries(employees).sort(([ia, a], [ib, b]) =>
    b.critical - a.critical || b.high - a.high || b.medium - a.medium || b.low - a.low || Number(ia) - Number(ib)).map(([id]) => id);
}

async function simulator(method, path, body) {
  const { body: status } = await api('/status', apiKey);
  const response = await fetch(new URL(`/_simulator${path}`, status.upstream.address), {
    method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`simulator ${method} ${path}: HTTP ${response.status}`);
}

const renderedIds = (page, count) => page.locator('#employees .row').evaluateAll((rows, n) =>
  rows.map((r) => ({ top: parseFloat(r.style.top), id: r.querySelector('.id').textContent })).sort((a, b) => a.top - b.top).slice(0, n).map((r) => r.id), count);

async function axe(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) console.log(`  axe (${what}): ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  check(bad.length === 0, `axe-core finds no serious or critical violation ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, timeout,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const foreign = [];
  const errors = [];
  page.on('request', (request) => { if (new URL(request.url()).origin !== new URL(base).origin && !request.url().startsWith('data:')) foreign.push(request.url()); });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) errors.push(message.text()); });

  // 1. Authentication on: the page itself loads, the data asks for a key.
  const response = await page.goto(base, { waitUntil: 'load' });
  check(response.status() === 200, `GET / answers ${response.status()} without credentials`);
  const csp = response.headers()['content-security-policy'] ?? '';
  check(/default-src 'none'/.test(csp) && /connect-src 'self'/.test(csp), `the page carries a Content-Security-Policy (${csp})`);
  await page.locator('#auth[open]').waitFor();
  pass(`the API-key prompt opens: "${await page.locator('#auth-message').textContent()}"`);
  await axe(page, 'with the API-key prompt open');
  await page.locator('#credential').fill('not-the-key');
  await page.locator('#auth-form button[type=submit]').click();
  await page.locator('#auth[open]').waitFor();
  const refused = await page.locator('#auth-message').textContent();
  check(/refused/i.test(refused), `a wrong key is refused plainly: "${refused}"`);
  await page.locator('#credential').fill(apiKey);
  await page.locator('#auth-form button[type=submit]').click();
  await page.waitForFunction(() => window.liveView.rendered > 0 && window.liveView.connected);
  pass('with the API key the ranking renders and the change stream is live');

  // 2. First render, after a reload (the key stays in sessionStorage).
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => window.liveView.firstRenderMs !== null && window.liveView.connected);
  const { body: status } = await api('/status', apiKey);
  measure(`first render at ${status.snapshot.employees} employees (ms after navigation start)`, await page.evaluate(() => window.liveView.firstRenderMs));

  // 3. The ranking is the API's.
  let summary = await api('/incidents/summary', apiKey);
  const top = await renderedIds(page, 20);
  check(JSON.stringify(top) === JSON.stringify(ranked(summary.body.employees).slice(0, 20)), `the first 20 rows are the API's ranking by critical, high, medium, low (${top.slice(0, 5).join(', ')}, …)`);
  check(await page.locator('#ranking-count').textContent().then((t) => t.endsWith(Object.keys(summary.body.employees).length.toLocaleString('en-US'))), 'every employee of the summary is counted');

  // 4. A timeline: the first employee's incidents, as many as the API has.
  await page.locator('#employees').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  const first = top[0];
  await page.locator('#timeline-title', { hasText: first }).waitFor();
  const employee = (await api(`/incidents/${first}`, apiKey)).body;
  const count = ['critical', 'high', 'medium', 'low'].reduce((n, p) => n + employee[p].count, 0);
  check(await page.locator('#timeline li').count() === count, `the keyboard opens employee ${first}'s timeline with its ${count} incidents`);
  await axe(page, 'on the ranking and a timeline');
  await page.locator('#employees').focus();
  await page.screenshot({ path: screenshot });
  console.log(`  screenshot: ${screenshot}`);

  // 5. A new incident without a reload: the feed "denial" serves half its items, then all of them again.
  await simulator('PUT', '/faults/denial', { fault: 'IdentitiesShrunk', factor: 0.5 });
  await page.waitForFunction((etag) => window.liveView.appliedEtag && window.liveView.appliedEtag !== etag, summary.etag.replace(/-summary"$/, '"'), { timeout: 60_000 });
  const half = (await api('/incidents/summary', apiKey)).body;
  const before = await page.evaluate(() => window.liveView.events);
  const oldTag = (await api('/incidents', apiKey)).etag;
  const cleared = Date.now();
  await simulator('DELETE', '/faults/denial');
  // When the new snapshot is installed: the first HEAD /incidents (every 10 ms) that answers its new tag.
  let installedSeen;
  while (!installedSeen && Date.now() - cleared < 60_000) {
    const head = await fetch(new URL('/incidents', base), { method: 'HEAD', headers: { 'Accept-Encoding': 'identity', 'X-Api-Key': apiKey } });
    if (head.headers.get('ETag') !== oldTag) installedSeen = Date.now();
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await page.waitForFunction((n) => window.liveView.events > n, before, { timeout: 60_000 });
  const received = await page.evaluate(() => window.liveView.lastEventAt);
  summary = await api('/incidents/summary', apiKey);
  const grown = Object.entries(summary.body.employees).find(([id, c]) => c.total > (half.employees[id]?.total ?? 0));
  await page.waitForFunction((etag) => window.liveView.appliedEtag === etag, (await api('/incidents', apiKey)).etag);
  await page.locator('#search').fill(grown[0]);
  const shown = await page.locator(`#employee-${grown[0]} .total-value`).textContent();
  check(Number(shown) === grown[1].total, `employee ${grown[0]}'s new incident reached the page without a reload (total ${half.employees[grown[0]]?.total ?? 0} → ${shown})`);
  measure('fault cleared → event at the page (ms, includes the refresh cycle)', received - cleared);
  measure('new tag first seen by HEAD /incidents (10 ms polls) → event at the page (ms; negative: the page was first)', received - installedSeen);
  await page.locator('#search').fill('');
  check(JSON.stringify(await renderedIds(page, 20)) === JSON.stringify(ranked(summary.body.employees).slice(0, 20)), 'after the change the first 20 rows are the API\'s new ranking');

  // 6. A stale feed: "misuse" fails from now on; the feeds table says so.
  await simulator('PUT', '/faults/misuse', { fault: 'ServerError' });
  await page.locator('#feeds tr', { hasText: 'misuse' }).locator('.state-stale').waitFor({ timeout: 60_000 });
  pass(`the stale feed is shown: "${await page.locator('#feeds-title').textContent()}"`);
  await simulator('DELETE', '/faults/misuse');

  // 7. The service stops: the stream ends cleanly and the page says it is disconnected.
  process.kill(servicePid, 'SIGTERM');
  await page.locator('#connection.pill-down').waitFor({ timeout: 60_000 });
  pass(`the page shows the disconnection when the service stops: "${await page.locator('#connection').textContent()}"`);

  check(foreign.length === 0, `no request to another origin${foreign.length ? `: ${foreign.join(', ')}` : ''}`);
  check(errors.length === 0, `no script error or CSP violation${errors.length ? `: ${errors.join('; ')}` : ''}`);

  // 8. About 50 k employees: all listed, only the rows in view in the DOM, the last one reachable by keyboard.
  const big = await context.newPage();
  big.setDefaultTimeout(timeout);
  await big.goto(large, { waitUntil: 'load' });
  await big.waitForFunction(() => window.liveView.firstRenderMs !== null);
  const bigSummary = (await (await fetch(new URL('/incidents/summary', large))).json()).employees;
  const total = Object.keys(bigSummary).length;
  measure(`first render at ${total} employees (ms after navigation start)`, await big.evaluate(() => window.liveView.firstRenderMs));
  check(await big.evaluate(() => window.liveView.rendered) === total && total >= 50_000, `all ${total} employees are listed`);
  const rows = await big.locator('#employees .row').count();
  check(rows < 200, `only ${rows} rows are in the DOM`);
  await big.locator('#employees').focus();
  const started = Date.now();
  await big.keyboard.press('End');
  const last = ranked(bigSummary).at(-1);
  await big.locator(`#employee-${last}[aria-selected=true]`).waitFor();
  measure('End key to the last of ~50 k rows (ms)', Date.now() - started);
  pass(`End reaches the lowest-ranked employee ${last}`);
} catch (error) {
  fail(`the live view check stopped: ${error.stack ?? error.message}`);
  for (const open of browser.contexts().flatMap((c) => c.pages())) {
    console.log(`  page ${open.url()}: ${JSON.stringify(await open.evaluate(() => window.liveView).catch(() => null))}, ${await open.locator('#connection').textContent().catch(() => '')}, ${await open.locator('#problem').textContent().catch(() => '')}`);
  }
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
