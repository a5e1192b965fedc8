// The live view: employees ranked by risk from /incidents/summary, one employee's timeline from /incidents/{id},
// the feeds from /status, kept current by /incidents/changes. Every request goes to this origin only.
import { readEvents } from './sse.js';
import { VirtualList } from './vlist.js';
import { ago, duration, el, when } from './view.js';

const PRIORITIES = ['critical', 'high', 'medium', 'low'];
const CREDENTIAL_KEY = 'incidentservice.credential';
const $ = (id) => document.getElementById(id);

// What the browser check reads: the first render's time and what the page last received.
const probe = window.liveView = { firstRenderMs: null, events: 0, etag: null, rendered: 0, connected: false };

const state = { summary: null, summaryTag: null, summaryQuery: null, ranked: [], selected: null, employeeTag: null, lastEventId: null };

function credential() {
  try { return JSON.parse(sessionStorage.getItem(CREDENTIAL_KEY)); } catch { return null; }
}

function authHeaders() {
  const c = credential();
  if (!c) return {};
  return c.kind === 'bearer' ? { Authorization: `Bearer ${c.value}` } : { 'X-Api-Key': c.value };
}

class Refused extends Error {}

// A GET revalidated with If-None-Match: null when unchanged (304), else { tag, body, headers }.
async function get(path, tag) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (tag) headers['If-None-Match'] = tag;
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (response.status === 304) return null;
  if (response.status === 401) {
    askCredential();
    throw new Refused('401');
  }
  if (response.status === 403) {
    showProblem('Access refused (403): these credentials do not carry the incidents:read scope.');
    throw new Refused('403');
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return { tag: response.headers.get('ETag'), headers: response.headers, body: await response.json() };
}

function showProblem(text) {
  $('problem').textContent = text;
  $('problem').hidden = !text;
}

function askCredential() {
  const dialog = $('auth');
  $('auth-message').textContent = credential()
    ? 'The service refused these credentials (401). Enter another API key or token.'
    : 'This service requires an API key or a bearer token to read incident data.';
  if (!dialog.open) dialog.showModal();
  $('credential').focus();
}

$('auth-form').addEventListener('submit', () => {
  const kind = new FormData($('auth-form')).get('kind');
  sessionStorage.setItem(CREDENTIAL_KEY, JSON.stringify({ kind, value: $('credential').value.trim() }));
  $('credential').value = '';
  $('sign-out').hidden = false;
  showProblem('');
  state.summaryTag = state.employeeTag = null;
  refreshAll();
  live.restart();
});

$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(CREDENTIAL_KEY);
  location.reload();
});

function query() {
  const form = new FormData($('filters'));
  const params = new URLSearchParams();
  const priorities = form.getAll('priority');
  if (priorities.length) params.set('priority', priorities.join(','));
  if (form.get('type')) params.set('type', form.get('type'));
  if (form.get('window')) params.set('since', String(Math.floor(Date.now() / 1000) - Number(form.get('window'))));
  return params.toString();
}

function rank(employees) {
  const ranked = Object.entries(employees).map(([id, c]) => ({ id, critical: c.critical, high: c.high, medium: c.medium, low: c.low, total: c.total }));
  ranked.sort((a, b) => b.critical - a.critical || b.high - a.high || b.medium - a.medium || b.low - a.low || Number(a.id) - Number(b.id));
  return ranked;
}

async function loadSummary() {
  const q = query();
  if (q !== state.summaryQuery) state.summaryTag = null;
  const answer = await get(`/incidents/summary${q ? `?${q}` : ''}`, state.summaryTag);
  if (!answer) return;
  state.summaryQuery = q;
  state.summaryTag = answer.tag;
  state.summary = answer.body;
  state.ranked = rank(answer.body.employees);
  fillTypes(Object.keys(answer.body.feeds));
  showList();
  showMissing(answer.headers.get('Missing-Feeds'));
}

function fillTypes(feeds) {
  const select = $('type');
  if (select.options.length > 1) return;
  for (const feed of feeds) select.append(new Option(feed, feed));
}

function showList() {
  const search = $('search').value.trim();
  const items = search ? state.ranked.filter((e) => e.id.includes(search)) : state.ranked;
  list.setItems(items);
  $('ranking-count').textContent = `${items.length.toLocaleString()} of ${state.ranked.length.toLocaleString()}`;
  probe.rendered = items.length;
  if (probe.firstRenderMs === null) probe.firstRenderMs = Math.round(performance.now());
}

function row(employee) {
  // The words are there for screen readers (hidden visually): "1042, 3 critical, 2 high, …".
  const node = el('div', { class: 'row', id: `employee-${employee.id}` });
  node.append(el('span', { class: 'id' }, employee.id));
  for (const p of PRIORITIES) node.append(el('span', { class: `n ${employee[p] ? p : 'zero'}` }, String(employee[p]), el('span', { class: 'sr' }, ` ${p},`)));
  node.append(el('span', { class: 'n total' }, el('span', { class: 'total-value' }, String(employee.total)), el('span', { class: 'sr' }, ' in all')));
  return node;
}

const list = new VirtualList($('employees'), { rowHeight: 34, renderRow: row, onOpen: (e) => openEmployee(e.id, true) });

async function openEmployee(id, focus) {
  if (state.selected !== id) state.employeeTag = null;
  state.selected = id;
  const answer = await get(`/incidents/${encodeURIComponent(id)}`, state.employeeTag).catch((error) => {
    if (error instanceof Refused) throw error;
    return { missing: true };
  });
  if (answer === null) return;
  $('timeline-title').textContent = `Timeline of employee ${id}`;
  const events = $('timeline');
  events.replaceChildren();
  if (answer.missing) {
    $('timeline-note').textContent = 'No incidents are attributed to this employee now.';
  } else {
    state.employeeTag = answer.tag;
    const incidents = PRIORITIES.flatMap((p) => answer.body[p]?.incidents ?? []).sort((a, b) => b.timestamp - a.timestamp);
    $('timeline-note').textContent = `${incidents.length} incidents, newest first; times in your zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`;
    for (const incident of incidents) events.append(timelineItem(incident));
  }
  if (focus) $('timeline-title').focus({ preventScroll: true });
  $('timeline').parentElement.scrollTop = 0;
}

function timelineItem(incident) {
  const at = new Date(incident.timestamp * 1000);
  const fields = el('dl', { class: 'fields' });
  for (const [key, value] of Object.entries(incident)) {
    fields.append(el('dt', {}, key), el('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value)));
  }
  return el('li', { class: `event ${incident.priority}` },
    el('p', { class: 'what' }, el('span', { class: `badge ${incident.priority}` }, incident.priority), ' ', el('strong', {}, incident.type), ' ',
      el('time', { datetime: at.toISOString() }, when(at)), el('span', { class: 'ago' }, ` (${ago(at)})`)),
    fields);
}

async function loadStatus() {
  const answer = await get('/status');
  const status = answer.body;
  const body = $('feeds').tBodies[0];
  body.replaceChildren(...status.feeds.map((feed) => {
    const label = feed.lastSuccess === null ? 'never answered' : feed.stale ? 'stale' : 'ok';
    return el('tr', { class: label === 'ok' ? '' : 'bad' },
      el('th', { scope: 'row' }, feed.name),
      el('td', {}, el('span', { class: `state state-${label.replace(' ', '-')}` }, label)),
      el('td', {}, feed.lastSuccess ? when(new Date(feed.lastSuccess)) : '—'),
      el('td', {}, feed.ageSeconds === null ? '—' : duration(feed.ageSeconds)),
      el('td', {}, feed.lastError ?? ''));
  }));
  const snap = status.snapshot;
  if (snap) {
    $('snapshot').textContent = `${snap.employees.toLocaleString()} employees · ${snap.incidents.toLocaleString()} incidents · data as of ${when(new Date(snap.dataAsOf))} (${duration(snap.ageSeconds)} old)${status.upstream.simulator ? ' · SIMULATED data' : ''}`;
    showMissing(snap.complete ? null : snap.missingFeeds.join(', '));
  }
  const stale = status.feeds.filter((f) => f.stale).map((f) => f.name);
  $('feeds-title').textContent = stale.length ? `Feeds — ${stale.length} stale: ${stale.join(', ')}` : 'Feeds — all current';
}

function showMissing(missing) {
  $('completeness').hidden = !missing;
  $('completeness').textContent = missing ? `Incomplete: the feeds ${missing} have never answered, so their incidents are missing from everything shown.` : '';
}

async function refreshAll() {
  try {
    await Promise.all([loadSummary(), loadStatus(), state.selected ? openEmployee(state.selected, false) : null]);
  } catch (error) {
    if (!(error instanceof Refused)) showProblem(`Could not load: ${error.message}`);
  }
}

// The change stream: an event revalidates what is shown (a 304 when this view did not change).
const live = {
  controller: null,
  retry: 1,
  restart() { this.controller?.abort(); this.connect(); },
  async connect() {
    const controller = this.controller = new AbortController();
    const headers = { ...authHeaders() };
    if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
    try {
      await readEvents('/incidents/changes', headers, {
        signal: controller.signal,
        onOpen: () => { this.retry = 1; connection('live', 'Live'); },
        onEvent: (e) => { if (e.event === 'snapshot') changed(e); },
      });
      connection('down', 'Disconnected: the service closed the stream. Reconnecting…');
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error.status === 401) { askCredential(); connection('down', 'Disconnected: credentials needed'); return; }
      if (error.status === 403) { showProblem('Access refused (403): these credentials do not carry the incidents:read scope.'); connection('down', 'Disconnected: access refused'); return; }
      connection('down', `Disconnected (${error.message}); retrying in ${this.retry} s`);
    }
    if (controller.signal.aborted) return;
    setTimeout(() => { if (this.controller === controller) this.connect(); }, this.retry * 1000);
    this.retry = Math.min(this.retry * 2, 15);
  },
};

function connection(kind, text) {
  probe.connected = kind === 'live';
  const pill = $('connection');
  pill.className = `pill pill-${kind}`;
  pill.textContent = text;
}

async function changed(event) {
  const data = JSON.parse(event.data);
  state.lastEventId = event.id;
  probe.events++;
  probe.etag = data.etag;
  probe.lastEventAt = Date.now();
  const selectedChanged = state.selected && (data.changedEmployeesCapped || data.changedEmployees.includes(state.selected));
  try {
    await Promise.all([loadSummary(), loadStatus(), selectedChanged ? openEmployee(state.selected, false) : null]);
    probe.appliedEtag = data.etag;
  } catch (error) {
    if (!(error instanceof Refused)) showProblem(`Could not load: ${error.message}`);
  }
}

$('filters').addEventListener('change', () => refreshAll());
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('search').addEventListener('input', () => showList());
$('search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && state.ranked.some((x) => x.id === $('search').value.trim())) openEmployee($('search').value.trim(), true);
});
$('sign-out').hidden = !credential();
setInterval(() => loadStatus().catch(() => {}), 10_000); // ages and staleness move without a new snapshot

refreshAll();
live.connect();
