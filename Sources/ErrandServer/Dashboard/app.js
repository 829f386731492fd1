// Errand dashboard: one page, hash routes, plain DOM. Server text only ever lands in text nodes
// and attributes (never innerHTML). Talks to the HTTP API under /api/v1 and its event streams.
'use strict';

const STATUSES = ['delayed', 'queued', 'executing', 'retrying', 'waiting', 'completed', 'failed', 'canceled', 'timedOut', 'crashed', 'expired'];
const FINAL = new Set(['completed', 'failed', 'canceled', 'timedOut', 'crashed', 'expired']);
const PAGE = 50;
const state = { session: null, csrf: null, returnTo: null, tasks: null };

// ---------- DOM helpers ----------

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open']);

/** Creates an element; strings among the children become text nodes. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
/** Replaces an element's children, skipping null and false ones. */
const fill = (el, ...children) => el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
const $ = (sel, root = document) => root.querySelector(sel);
const enc = encodeURIComponent;
let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

function toast(text, kind = 'info') {
  const t = $('#toast');
  fill(t, h('span', { class: `toast-${kind}` }, text));
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

/** A labelled form field: the label, the control and an optional hint. */
function field(label, control, hint) {
  if (!control.id) control.id = nextId('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint && h('small', { class: 'muted' }, hint));
}

/** A paragraph that shows an error message (and field) or nothing. */
function errorBox(testid) {
  const box = h('p', { class: 'error', role: 'alert', 'data-testid': testid, hidden: true });
  box.show = (err) => {
    if (!err) { box.hidden = true; box.replaceChildren(); return; }
    const fieldName = err.field ? h('span', { class: 'err-field', 'data-testid': `${testid}-field` }, `field: ${err.field}`) : null;
    fill(box, h('strong', {}, err.status ? `Error ${err.status}` : 'Error'), ' ', err.message || String(err), ' ', fieldName);
    box.hidden = false;
  };
  return box;
}

// ---------- formatting ----------

const formatters = new Map();
function formatter(tz) {
  const key = tz || '';
  if (!formatters.has(key)) {
    const opts = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    let f;
    try { f = new Intl.DateTimeFormat(undefined, tz ? { ...opts, timeZone: tz, timeZoneName: 'short' } : opts); }
    catch { f = new Intl.DateTimeFormat(undefined, opts); }
    formatters.set(key, f);
  }
  return formatters.get(key);
}
function time(iso, tz) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return h('time', { datetime: iso, title: iso }, formatter(tz).format(d));
}
function duration(seconds) {
  if (seconds == null || isNaN(seconds)) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const total = Math.round(seconds), m = Math.floor(total / 60), s = total % 60;
  if (m < 60) return s ? `${m} min ${s} s` : `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
/** Wall time from the first attempt's start to the end (or now while running). */
function runDuration(run) {
  const start = run.submittedAt || (run.attempts && run.attempts[0] && run.attempts[0].startedAt);
  if (!start) return null;
  const end = run.completedAt || run.failedAt || run.canceledAt || (FINAL.has(run.status) ? run.updatedAt : null);
  return Math.max(0, (end ? Date.parse(end) : Date.now()) - Date.parse(start)) / 1000;
}
function chip(status, testid) {
  return h('span', { class: `chip s-${status}`, 'data-status': status, 'data-testid': testid }, status);
}
function pretty(value) {
  return h('pre', { class: 'json' }, h('code', {}, value === undefined ? '' : JSON.stringify(value, null, 2)));
}
function progressBar(percent, message) {
  if (percent == null && !message) return null;
  // The engine's progressPercent is a fraction between 0 and 1.
  const p = percent == null ? null : Math.max(0, Math.min(100, percent * 100));
  const bar = h('div', {
    class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': p == null ? null : Math.round(p), 'aria-label': 'Progress',
  }, h('span', {}));
  bar.firstChild.style.width = `${p == null ? 0 : p}%`;
  return h('div', { class: 'progress', 'data-testid': 'run-progress' }, bar,
    h('span', { class: 'progress-text' }, [p == null ? '' : `${Math.round(p)}%`, message ? ` ${message}` : ''].join('')));
}

/** The offset of the first JSON syntax error in `s`, or null (JSON.parse says what, not always where). */
function jsonErrorAt(s) {
  let i = 0;
  const fail = () => { throw i; };
  const ws = () => { while (i < s.length && ' \t\n\r'.includes(s[i])) i++; };
  const lit = (w) => { if (s.startsWith(w, i)) i += w.length; else fail(); };
  const str = () => {
    for (i++; s[i] !== '"'; i++) {
      if (i >= s.length || s[i] < ' ') fail();
      if (s[i] === '\\') {
        i++;
        if (s[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail(); i += 4; } else if (!'"\\/bfnrt'.includes(s[i] || 'x')) fail();
      }
    }
    i++;
  };
  const value = () => {
    ws();
    const c = s[i], close = c === '{' ? '}' : ']';
    if (c === '{' || c === '[') {
      i++; ws();
      if (s[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') { ws(); if (s[i] !== '"') fail(); str(); ws(); if (s[i] !== ':') fail(); i++; }
        value(); ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === close) { i++; return; }
        fail();
      }
    }
    if (c === '"') return str();
    if (c === 't' || c === 'f' || c === 'n') return lit({ t: 'true', f: 'false', n: 'null' }[c]);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m) fail();
    i += m[0].length;
  };
  try { value(); ws(); if (i < s.length) fail(); return null; } catch (p) { if (typeof p === 'number') return p; throw p; }
}

/** Parses the editor's JSON; the error names the line and column. */
function parsePayload(text) {
  if (!text.trim()) return { ok: false, error: 'The payload is empty: write JSON, for example {} or null.', position: 0 };
  try { return { ok: true, value: JSON.parse(text) }; } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    const position = m ? Number(m[1]) : jsonErrorAt(text);
    let where = '';
    if (position != null) {
      const before = text.slice(0, position);
      where = ` at line ${before.split('\n').length}, column ${position - before.lastIndexOf('\n')}`;
    }
    return { ok: false, error: `Invalid JSON${where}: ${e.message.replace(/ at position \d+.*$|, ".*" is not valid JSON$/s, '').replace(/\n/g, '\\n')}`, position };
  }
}

/** A JSON textarea with live validation; `.read()` returns the value or null after showing the error. */
function jsonEditor(label, initial, testid) {
  const area = h('textarea', { class: 'code', rows: 8, spellcheck: 'false', 'data-testid': testid, value: initial });
  const err = h('p', { class: 'error', role: 'alert', 'data-testid': `${testid}-error`, hidden: true });
  const check = () => {
    const r = parsePayload(area.value);
    err.hidden = r.ok;
    err.textContent = r.ok ? '' : r.error;
    area.setAttribute('aria-invalid', String(!r.ok));
    return r;
  };
  area.addEventListener('input', check);
  area.setAttribute('aria-describedby', (err.id = nextId('e')));
  const wrap = h('div', {}, field(label, area), err);
  wrap.read = () => {
    const r = check();
    if (r.ok) return { value: r.value };
    area.focus();
    if (r.position != null) area.setSelectionRange(r.position, Math.min(area.value.length, r.position + 1));
    return null;
  };
  return wrap;
}

// ---------- HTTP ----------

class ApiError extends Error {
  constructor(status, code, message, field) { super(message); this.status = status; this.code = code; this.field = field; }
}

async function api(method, path, body, { login = true } = {}) {
  // X-Errand-Client: runs triggered here are recorded as the dashboard's, also on an open server.
  const headers = { Accept: 'application/json', 'X-Errand-Client': 'dashboard' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let res;
  try { res = await fetch(path, init); } catch (e) { throw new ApiError(0, 'network', `The server cannot be reached (${e.message}).`, null); }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message || `${res.status} ${res.statusText}`, e.field ?? null);
    if (res.status === 401 && login) toLogin();
    throw err;
  }
  return data;
}

function toLogin() {
  if (!location.hash.startsWith('#/login')) state.returnTo = location.hash;
  if (state.session) state.session.authenticated = false;
  location.hash = '#/login';
}

async function loadSession() {
  try {
    state.session = await api('GET', '/api/v1/session', undefined, { login: false });
    state.csrf = state.session.csrfToken || null;
  } catch {
    // The server is unreachable: keep what is known (a stream that lost its server retries).
    if (!state.session) state.session = { authRequired: false, authenticated: false, scope: null, csrfToken: null };
  }
  renderWho();
}

async function taskNames() {
  if (!state.tasks) state.tasks = api('GET', '/api/v1/tasks').then((r) => r.tasks.map((t) => t.name)).catch(() => { state.tasks = null; return []; });
  return state.tasks;
}

function renderWho() {
  const who = $('#who');
  const s = state.session;
  if (!s || !s.authRequired) { who.replaceChildren(h('span', { class: 'muted', title: 'No API key exists: the API is open on this loopback address' }, 'open access')); return; }
  if (!s.authenticated) { who.replaceChildren(h('a', { href: '#/login' }, 'Sign in')); return; }
  who.replaceChildren(h('span', { class: 'muted' }, `${s.scope || ''} access`), ' ',
    h('button', { type: 'button', class: 'link', 'data-testid': 'logout', onclick: logout }, 'Sign out'));
}

async function logout() {
  try { await api('POST', '/logout', undefined, { login: false }); } catch { /* the cookie is gone either way */ }
  state.csrf = null;
  await loadSession();
  location.hash = '#/login';
}

// ---------- streams ----------

let leaving = [];
const onLeave = (fn) => leaving.push(fn);

function setLive(text, kind = '') {
  const el = $('#live');
  el.textContent = text;
  el.className = `live ${kind}`;
}

/** An EventSource closed when the page changes; `events` maps event names to handlers of the parsed
 * data; `reopened` is called when it reconnects after a break (events may have been missed). */
function stream(url, events, reopened) {
  const es = new EventSource(url);
  let opened = false;
  setLive('connecting…');
  es.onopen = () => {
    setLive('live', 'on');
    if (opened && reopened) reopened();
    opened = true;
  };
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      setLive('offline', 'off');
      // A refused stream (401 after the session ended) closes for good: check the session.
      loadSession().then(() => { if (state.session.authRequired && !state.session.authenticated) toLogin(); });
    } else setLive('reconnecting…', 'off');
  };
  for (const [name, fn] of Object.entries(events)) {
    es.addEventListener(name, (ev) => { let data; try { data = JSON.parse(ev.data); } catch { return; } fn(data, es); });
  }
  onLeave(() => { es.close(); setLive(''); });
  return es;
}

// ---------- router ----------

let routeToken = 0;

async function route() {
  for (const fn of leaving.splice(0)) { try { fn(); } catch { /* ignore */ } }
  const token = ++routeToken;
  const [path, query] = (location.hash || '#/runs').slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const params = new URLSearchParams(query || '');
  const page = parts[0] || 'runs';
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = $('#main');
  const root = h('div', { class: 'page' });
  main.replaceChildren(root);
  const ctx = { root, alive: () => token === routeToken };
  const s = state.session;
  if (page !== 'login' && s && s.authRequired && !s.authenticated) { toLogin(); return; }
  const views = { runs: parts[1] ? () => viewRun(ctx, parts[1]) : () => viewRuns(ctx, params), tasks: () => viewTasks(ctx), schedules: () => viewSchedules(ctx), queues: () => viewQueues(ctx), events: parts[1] ? () => viewEvent(ctx, parts[1]) : () => viewEvents(ctx, params), login: () => viewLogin(ctx) };
  const view = views[page];
  document.title = `Errand · ${page}`;
  try {
    if (!view) { root.append(h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/runs' }, 'Go to runs'))); return; }
    await view();
  } catch (e) {
    if (!ctx.alive() || e.status === 401) return;
    const box = errorBox('page-error');
    box.show(e);
    root.append(box);
  }
}

// ---------- runs list ----------

function runRow(run) {
  const tr = h('tr', {
    'data-testid': 'run-row', 'data-run-id': run.id, 'data-status': run.status, tabindex: 0, class: 'clickable',
    onclick: (e) => { if (!e.target.closest('a')) location.hash = `#/runs/${enc(run.id)}`; },
    onkeydown: (e) => { if (e.key === 'Enter') location.hash = `#/runs/${enc(run.id)}`; },
  },
  h('td', {}, chip(run.status, 'run-status')),
  h('td', {}, h('a', { href: `#/runs/${enc(run.id)}`, class: 'mono', 'data-testid': 'run-link' }, run.id)),
  h('td', {}, run.task),
  h('td', {}, (run.tags || []).map((t) => h('span', { class: 'tag' }, t))),
  h('td', {}, time(run.createdAt)),
  h('td', { class: 'num', 'data-testid': 'run-duration' }, duration(runDuration(run))),
  h('td', { class: 'wide' }, progressBar(run.progressPercent, run.progressMessage) || (run.errorMessage ? h('span', { class: 'err-text' }, run.errorMessage) : '')));
  tr.run = run;
  return tr;
}

async function viewRuns(ctx, params) {
  const f = { task: params.get('task') || '', status: params.get('status') || '', tag: params.get('tag') || '', origin: params.get('origin') || '', q: params.get('q') || '', limit: params.get('limit') || '' };
  const limit = /^\d+$/.test(f.limit) ? Math.min(1000, Math.max(1, Number(f.limit))) : PAGE;
  const go = (next) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
    const qs = p.toString();
    location.hash = qs ? `#/runs?${qs}` : '#/runs';
  };
  const taskSel = h('select', { name: 'task', 'data-testid': 'filter-task', onchange: () => go({ ...f, task: taskSel.value }) },
    h('option', { value: '' }, 'All tasks'), f.task && h('option', { value: f.task, selected: true }, f.task));
  taskNames().then((names) => {
    for (const n of names) if (n !== f.task) taskSel.append(h('option', { value: n }, n));
  });
  const statusSel = h('select', { name: 'status', 'data-testid': 'filter-status', onchange: () => go({ ...f, status: statusSel.value }) },
    h('option', { value: '' }, 'Any status'),
    h('option', { value: 'delayed,queued,executing,retrying,waiting' }, 'not finished'),
    h('option', { value: 'failed,timedOut,crashed,expired' }, 'unsuccessful'),
    STATUSES.map((s) => h('option', { value: s }, s)));
  statusSel.value = f.status;
  const tagIn = h('input', { type: 'text', name: 'tag', value: f.tag, 'data-testid': 'filter-tag', placeholder: 'tag' });
  const originIn = h('input', { type: 'text', name: 'origin', value: f.origin, 'data-testid': 'filter-origin', placeholder: 'apiKey:deploy, dashboard, event:…' });
  const qIn = h('input', { type: 'search', name: 'q', value: f.q, 'data-testid': 'search', placeholder: 'run id or tag' });
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); go({ ...f, tag: tagIn.value.trim(), origin: originIn.value.trim(), q: qIn.value.trim() }); } },
    field('Task', taskSel), field('Status', statusSel), field('Tag', tagIn), field('Origin', originIn), field('Search', qIn),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), (f.task || f.status || f.tag || f.origin || f.q) && h('a', { href: '#/runs', class: 'button secondary' }, 'Clear')));

  const tbody = h('tbody', {});
  const table = h('table', { 'data-testid': 'runs-table', class: 'runs' },
    h('caption', { class: 'sr-only' }, 'Runs, newest first'),
    h('thead', {}, h('tr', {}, ['Status', 'Run', 'Task', 'Tags', 'Created', 'Duration', 'Progress'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  const empty = h('p', { class: 'muted', hidden: true, 'data-testid': 'runs-empty' }, 'No runs match.');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, 'data-testid': 'load-more' }, 'Load more');
  const note = h('p', { class: 'muted' });
  const err = errorBox('runs-error');
  ctx.root.append(h('div', { class: 'head' }, h('h1', {}, 'Runs')), form, note, err, h('div', { class: 'scroll' }, table), empty, more);

  const rows = new Map();
  let cursor = null, searchMode = false;
  const query = (c) => {
    const p = new URLSearchParams();
    if (f.task) p.set('task', f.task);
    if (f.status) p.set('status', f.status);
    if (f.origin) p.set('origin', f.origin);
    const tag = f.tag || (f.q && !searchMode ? f.q : '');
    if (tag) p.set('tag', tag);
    if (c) p.set('cursor', c);
    p.set('limit', String(limit));
    return `/api/v1/runs?${p}`;
  };
  const put = (run, where) => {
    const old = rows.get(run.id);
    const tr = runRow(run);
    if (old) old.replaceWith(tr);
    else if (where === 'top') tbody.prepend(tr);
    else tbody.append(tr);
    rows.set(run.id, tr);
    empty.hidden = rows.size > 0;
  };
  const loadPage = async () => {
    more.disabled = true;
    try {
      const page = await api('GET', query(cursor));
      if (!ctx.alive()) return;
      for (const run of page.runs) put(run, 'bottom');
      cursor = page.nextCursor;
      err.show(null);
    } catch (e) { err.show(e); }
    more.disabled = false;
    more.hidden = !cursor;
    empty.hidden = rows.size > 0;
  };
  more.addEventListener('click', loadPage);

  if (f.q && !f.q.startsWith('run_')) note.textContent = `Runs tagged “${f.q}”.`;
  if (f.q.startsWith('run_')) {
    // A search is a run id (run_…) when such a run exists, otherwise a tag.
    try {
      const run = await api('GET', `/api/v1/runs/${enc(f.q)}`);
      if (!ctx.alive()) return;
      searchMode = true;
      note.textContent = `The run with id ${f.q}.`;
      put(run);
    } catch (e) {
      if (e.status !== 404) throw e;
      note.textContent = `No run has id “${f.q}”: showing runs tagged “${f.q}”.`;
    }
  }
  if (!searchMode) await loadPage();
  if (!ctx.alive()) return;

  // Live: events update known rows at once; known rows are re-read when they start or finish,
  // and new runs are picked up by re-reading the first page.
  const reread = new Map();
  let topTimer = null;
  const rereadRun = (id) => {
    if (reread.has(id)) return;
    reread.set(id, setTimeout(async () => {
      reread.delete(id);
      try { const run = await api('GET', `/api/v1/runs/${enc(id)}`); if (ctx.alive() && rows.has(id)) put(run); } catch { /* the next event retries */ }
    }, 150));
  };
  const rereadTop = () => {
    if (topTimer) return;
    topTimer = setTimeout(async () => {
      topTimer = null;
      try {
        const page = await api('GET', query(null));
        if (!ctx.alive()) return;
        for (const run of page.runs.slice().reverse()) put(run, 'top');
      } catch { /* the next event retries */ }
    }, 250);
  };
  onLeave(() => { clearTimeout(topTimer); for (const t of reread.values()) clearTimeout(t); });
  stream('/api/v1/stream', {
    run: (ev) => {
      if (ev.kind === 'log') return;  // log lines change no row
      const tr = rows.get(ev.runId);
      if (tr) {
        const run = { ...tr.run, status: ev.status };
        if (ev.kind === 'progress') {
          if (ev.percent != null) run.progressPercent = ev.percent;
          if (ev.message != null) run.progressMessage = ev.message;
        }
        if (ev.error) run.errorMessage = ev.error.message;
        if (ev.kind === 'started' && !run.submittedAt) run.submittedAt = ev.at;
        if (FINAL.has(ev.status)) run.updatedAt = ev.at;
        put(run);
        if (ev.kind !== 'progress') rereadRun(ev.runId);
      } else if (!searchMode && (!f.task || f.task === ev.task)
        && (f.status ? f.status.split(',').includes(ev.status) : ev.kind === 'triggered')) {
        rereadTop();
      }
    },
  }, () => {
    rereadTop();
    for (const [id, tr] of rows) if (!FINAL.has(tr.run.status)) rereadRun(id);
  });
  const ticker = setInterval(() => {
    for (const tr of rows.values()) {
      if (!FINAL.has(tr.run.status) && tr.run.submittedAt) $('[data-testid=run-duration]', tr).textContent = duration(runDuration(tr.run));
    }
  }, 1000);
  onLeave(() => clearInterval(ticker));
}

// ---------- run detail ----------

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v != null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
const runLink = (id) => id && h('a', { href: `#/runs/${enc(id)}`, class: 'mono' }, id);
const errText = (e) => e && (typeof e === 'string' ? e : [e.name, e.message].filter(Boolean).join(': '));

function attemptsTimeline(attempts) {
  if (!attempts || !attempts.length) return h('p', { class: 'muted' }, 'No attempt yet.');
  return h('ol', { class: 'timeline', 'data-testid': 'attempts' }, attempts.map((a) => {
    const secs = a.endedAt ? (Date.parse(a.endedAt) - Date.parse(a.startedAt)) / 1000 : null;
    return h('li', { 'data-testid': 'attempt', class: `o-${a.outcome || 'running'}` },
      h('div', { class: 'attempt-head' }, h('strong', {}, `Attempt ${a.number}`), ' ', chip(a.outcome || 'running'),
        h('span', { class: 'muted' }, ` on ${a.workerID}`)),
      h('div', { class: 'muted' }, time(a.startedAt), ' → ', a.endedAt ? time(a.endedAt) : 'running', secs != null ? ` (${duration(secs)})` : ''),
      a.error && h('div', { class: 'err-text' }, errText(a.error)),
      a.error && a.error.stack && h('details', {}, h('summary', {}, 'Stack'), h('pre', { class: 'stack' }, a.error.stack)));
  }));
}

function stepsTable(steps) {
  if (!steps.length) return h('p', { class: 'muted' }, 'This run has no durable steps.');
  return h('div', { class: 'scroll' }, h('table', { 'data-testid': 'steps' },
    h('thead', {}, h('tr', {}, ['Key', 'Kind', 'Status', 'Attempts', 'Started', 'Ended', 'Output', 'Error'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, steps.map((s) => h('tr', { 'data-testid': 'step-row' },
      h('td', { class: 'mono' }, s.key), h('td', {}, s.kind || ''), h('td', {}, chip(s.status)), h('td', { class: 'num' }, s.attempts ?? ''),
      h('td', {}, time(s.startedAt)), h('td', {}, time(s.endedAt)),
      h('td', { class: 'num' }, s.outputSize != null ? `${s.outputSize} B` : ''),
      h('td', { class: 'err-text' }, errText(s.error) || (s.wakeAt ? h('span', { class: 'muted' }, 'wakes ', time(s.wakeAt)) : '')))))));
}

async function viewRun(ctx, id) {
  const root = h('section', { 'data-testid': 'run-detail' });
  const body = h('div', {});
  const actionErr = errorBox('action-error');
  const cancelBtn = h('button', { type: 'button', class: 'danger', 'data-testid': 'cancel-button' }, 'Cancel run');
  const replayBtn = h('button', { type: 'button', 'data-testid': 'replay-button' }, 'Replay');
  const editReplay = h('details', { class: 'replay' }, h('summary', {}, 'Replay with another payload'));
  const heading = h('div', { class: 'head' });
  ctx.root.append(h('p', {}, h('a', { href: '#/runs' }, '← Runs')), root);
  const logs = logsPanel(id);
  root.append(heading, h('div', { class: 'toolbar' }, cancelBtn, replayBtn), editReplay, actionErr, body, logs);

  let run;
  try { run = await api('GET', `/api/v1/runs/${enc(id)}`); } catch (e) {
    if (e.status === 404) { root.replaceChildren(h('h1', {}, 'Run not found'), h('p', {}, `No run has id ${id}.`)); return; }
    throw e;
  }
  if (!ctx.alive()) return;

  const replay = async (payloadBody) => {
    replayBtn.disabled = true;
    try {
      const r = await api('POST', `/api/v1/runs/${enc(id)}/replay`, payloadBody);
      toast('Replay triggered');
      location.hash = `#/runs/${enc(r.id)}`;
    } catch (e) { actionErr.show(e); replayBtn.disabled = false; }
  };
  replayBtn.addEventListener('click', () => replay(undefined));
  cancelBtn.addEventListener('click', async () => {
    cancelBtn.disabled = true;
    try { render(await api('POST', `/api/v1/runs/${enc(id)}/cancel`)); actionErr.show(null); toast('Cancel requested'); } catch (e) { actionErr.show(e); cancelBtn.disabled = false; }
  });
  const editor = jsonEditor('Payload (JSON)', JSON.stringify(run.payload, null, 2), 'replay-payload');
  editReplay.append(h('form', { onsubmit: (e) => { e.preventDefault(); const p = editor.read(); if (p) replay({ payload: p.value }); } },
    editor, h('button', { type: 'submit', 'data-testid': 'replay-submit' }, 'Replay with this payload')));

  function render(r) {
    run = r;
    const final = FINAL.has(r.status);
    document.title = `Errand · ${r.task} ${r.status}`;
    heading.replaceChildren(h('h1', {}, h('span', { class: 'muted' }, 'Run '), h('span', { class: 'mono', 'data-testid': 'run-id' }, r.id)),
      chip(r.status, 'run-detail-status'));
    cancelBtn.disabled = final || !!r.cancelRequestedAt;
    replayBtn.disabled = !final;
    editReplay.hidden = !final;
    const ended = r.completedAt || r.failedAt || r.canceledAt;
    fill(body,
      progressBar(r.progressPercent, r.progressMessage) || '',
      h('div', { class: 'grid' },
        h('section', {}, h('h2', {}, 'Overview'), dl([
          ['Task', h('a', { href: `#/runs?task=${enc(r.task)}` }, r.task)], ['Queue', r.queue], ['Priority', String(r.priority)],
          ['Attempts', `${r.attemptCount} of ${r.maxAttempts}`], ['Duration', duration(runDuration(r))], ['Executing time', duration(r.executionTime)],
          ['Tags', (r.tags || []).length ? r.tags.map((t) => h('a', { class: 'tag', href: `#/runs?tag=${enc(t)}` }, t)) : null],
          ['Worker', r.workerID], ['Concurrency key', r.concurrencyKey], ['Idempotency key', r.idempotencyKey],
          ['Origin', originView(r.origin)], ['Event', r.eventID && h('a', { href: `#/events/${enc(r.eventID)}`, class: 'mono' }, r.eventID)],
          ['Replay of', runLink(r.replayOf)], ['Parent run', runLink(r.parentID)],
          ['Schedule', r.scheduleID && h('a', { href: '#/schedules', class: 'mono' }, r.scheduleID)],
          ['Cancel requested', r.cancelRequestedAt && time(r.cancelRequestedAt)],
        ])),
        h('section', {}, h('h2', {}, 'Timestamps'), dl([
          ['Created', time(r.createdAt)], ['Scheduled', time(r.scheduledAt)], ['Submitted', r.submittedAt && time(r.submittedAt)],
          ['Completed', r.completedAt && time(r.completedAt)], ['Failed', r.failedAt && time(r.failedAt)], ['Canceled', r.canceledAt && time(r.canceledAt)],
          ['Updated', time(r.updatedAt)], ['Expires', r.expiresAt && time(r.expiresAt)], ['Occurrence', r.occurrenceAt && time(r.occurrenceAt)],
          ['Finished', !ended && final ? time(r.updatedAt) : null],
        ]))),
      (r.errorMessage || r.error) && h('section', { class: 'error-block', 'data-testid': 'run-error' }, h('h2', {}, 'Error'),
        h('p', { class: 'err-text' }, r.error ? errText(r.error) : r.errorMessage, r.error && r.error.type ? h('span', { class: 'muted' }, ` (${r.error.type})`) : ''),
        r.errorStack && h('pre', { class: 'stack', 'data-testid': 'run-error-stack' }, r.errorStack)),
      h('div', { class: 'grid' },
        h('section', {}, h('h2', {}, 'Payload'), h('div', { 'data-testid': 'run-payload' }, pretty(r.payload))),
        h('section', {}, h('h2', {}, 'Result'), h('div', { 'data-testid': 'run-result' },
          r.result != null ? pretty(r.result) : h('p', { class: 'muted' }, final ? 'No result.' : 'Not finished yet.'),
          r.resultNote && h('p', { class: 'muted' }, r.resultNote)))),
      h('section', {}, h('h2', {}, 'Attempts'), attemptsTimeline(r.attempts)),
      Array.isArray(r.steps) && h('section', {}, h('h2', {}, 'Steps'), stepsTable(r.steps)));
  }
  render(run);
  const final = FINAL.has(run.status);
  if (!final) {
    // Lines written while the stored ones load come on the stream; the store has them all at the end.
    stream(`/api/v1/runs/${enc(id)}/stream`, {
      run: (r) => { if (ctx.alive()) render(r); },
      log: (line) => { if (ctx.alive()) logs.add(line); },
      end: (_, es) => { es.close(); setLive('finished'); logs.load().catch((e) => logs.fail(e)); },
    }, () => logs.load().catch((e) => logs.fail(e)));
  }
  await logs.load().catch((e) => logs.fail(e));
}

/** `origin` of a run (`kind` or `kind:reference`), its reference linked for a run, an event or a schedule. */
function originView(origin) {
  if (!origin) return null;
  const at = origin.indexOf(':');
  const kind = at < 0 ? origin : origin.slice(0, at);
  const ref = at < 0 ? null : origin.slice(at + 1);
  const targets = { parent: `#/runs/${enc(ref)}`, replay: `#/runs/${enc(ref)}`, event: `#/events/${enc(ref)}`, schedule: '#/schedules' };
  const shown = ref && targets[kind] ? [kind, ' ', h('a', { href: targets[kind], class: 'mono', 'data-testid': 'run-origin-link' }, ref)] : origin;
  return h('span', { 'data-testid': 'run-origin', 'data-origin': origin }, shown);
}

const LEVELS = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'];
const levelRank = (level) => Math.max(0, LEVELS.indexOf(level));

/** A run's Logs panel: `.load()` reads the stored lines, `.add(line)` appends one that came live,
 * a select hides the lines below a level. */
function logsPanel(runId) {
  const list = h('ol', { class: 'logs', 'data-testid': 'log-lines', hidden: true });
  const empty = h('p', { class: 'muted', 'data-testid': 'logs-empty' }, 'Loading…');
  const err = errorBox('logs-error');
  const level = h('select', { 'data-testid': 'log-level', 'aria-label': 'Minimum level' },
    LEVELS.map((l) => h('option', { value: l }, l === 'trace' ? 'all levels' : `${l} and above`)));
  let count = 0;
  const refresh = () => {
    const min = levelRank(level.value);
    let shown = 0;
    for (const li of list.children) { li.hidden = levelRank(li.dataset.level) < min; if (!li.hidden) shown++; }
    list.hidden = shown === 0;
    empty.hidden = shown > 0;
    empty.textContent = count ? 'No line at this level or above.' : 'No log line yet.';
  };
  level.addEventListener('change', refresh);
  const item = (line) => {
    const meta = Object.entries(line.metadata || {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(' ');
    return h('li', { class: `l-${line.level}`, 'data-testid': 'log-line', 'data-level': line.level, 'data-index': line.index },
      time(line.time), ' ', h('span', { class: 'muted' }, `#${line.attempt}`), ' ', h('span', { class: 'lvl' }, String(line.level).toUpperCase()),
      ' ', h('span', { 'data-testid': 'log-message' }, line.message), meta && h('span', { class: 'meta' }, meta));
  };
  const panel = h('section', { 'data-testid': 'logs-panel' },
    h('div', { class: 'logs-head' }, h('h2', {}, 'Logs'), field('Level', level)), err, empty, list);
  const append = (line) => {
    const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.append(item(line));
    count++;
    if (atEnd) list.scrollTop = list.scrollHeight;
  };
  let live = null;  // lines that came live while a load runs: shown after the stored ones
  panel.add = (line) => {
    if (live) live.push(line);
    append(line);
    refresh();
  };
  panel.load = async () => {
    live = [];
    try {
      const lines = [];
      for (let after = 0; ;) {
        const page = await api('GET', `/api/v1/runs/${enc(runId)}/logs?limit=1000&after=${after}`);
        lines.push(...page.lines);
        if (page.next == null) break;
        after = page.next;
      }
      err.show(null);
      list.replaceChildren();
      count = 0;
      const stored = new Set(lines.map((l) => `${l.time} ${l.message}`));
      for (const line of lines) append(line);
      for (const line of live) if (!stored.has(`${line.time} ${line.message}`)) append(line);
      refresh();
    } finally { live = null; }
  };
  panel.fail = (e) => { if (e.status !== 401) err.show(e); };
  return panel;
}

// ---------- events ----------

async function viewEvents(ctx, params) {
  const name = params.get('name') || '';
  const nameIn = h('input', { type: 'text', name: 'name', value: name, 'data-testid': 'filter-event-name', placeholder: 'user.created' });
  const form = h('form', {
    class: 'filters', role: 'search',
    onsubmit: (e) => { e.preventDefault(); const v = nameIn.value.trim(); location.hash = v ? `#/events?name=${enc(v)}` : '#/events'; },
  }, field('Name', nameIn),
  h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), name && h('a', { href: '#/events', class: 'button secondary' }, 'Clear')));
  const tbody = h('tbody', {});
  const empty = h('p', { class: 'muted', hidden: true, 'data-testid': 'events-empty' }, name ? 'No event has this name.' : 'No event published yet.');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, 'data-testid': 'events-more' }, 'Load more');
  const err = errorBox('events-error');
  ctx.root.append(h('div', { class: 'head' }, h('h1', {}, 'Events')), form, err,
    h('div', { class: 'scroll' }, h('table', { 'data-testid': 'events-table' },
      h('caption', { class: 'sr-only' }, 'Published events, newest first'),
      h('thead', {}, h('tr', {}, ['Name', 'Event', 'Published', 'Published by', 'Runs'].map((c) => h('th', { scope: 'col', class: c === 'Runs' ? 'num' : null }, c)))),
      tbody)), empty, more);
  const open = (ev) => { location.hash = `#/events/${enc(ev.id)}`; };
  const row = (ev) => h('tr', {
    'data-testid': 'event-row', 'data-event-id': ev.id, tabindex: 0, class: 'clickable',
    onclick: (e) => { if (!e.target.closest('a')) open(ev); }, onkeydown: (e) => { if (e.key === 'Enter') open(ev); },
  },
  h('td', { 'data-testid': 'event-name' }, ev.name),
  h('td', {}, h('a', { href: `#/events/${enc(ev.id)}`, class: 'mono', 'data-testid': 'event-link' }, ev.id)),
  h('td', {}, time(ev.publishedAt)), h('td', {}, ev.origin), h('td', { class: 'num' }, String((ev.runIDs || []).length)));
  let cursor = null;
  const loadPage = async () => {
    more.disabled = true;
    try {
      const p = new URLSearchParams({ limit: String(PAGE) });
      if (name) p.set('name', name);
      if (cursor) p.set('cursor', cursor);
      const page = await api('GET', `/api/v1/events?${p}`);
      if (!ctx.alive()) return;
      tbody.append(...page.events.map(row));
      cursor = page.nextCursor;
      err.show(null);
    } catch (e) { err.show(e); }
    more.disabled = false;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  more.addEventListener('click', loadPage);
  await loadPage();
}

async function viewEvent(ctx, id) {
  const root = h('section', { 'data-testid': 'event-detail' });
  ctx.root.append(h('p', {}, h('a', { href: '#/events' }, '← Events')), root);
  let ev;
  try { ev = await api('GET', `/api/v1/events/${enc(id)}`); } catch (e) {
    if (e.status === 404) { root.replaceChildren(h('h1', {}, 'Event not found'), h('p', {}, `No event has id ${id}.`)); return; }
    throw e;
  }
  if (!ctx.alive()) return;
  document.title = `Errand · event ${ev.name}`;
  const known = new Set(ev.runs.map((r) => r.id));
  const pruned = (ev.runIDs || []).filter((r) => !known.has(r));
  const runs = ev.runIDs && ev.runIDs.length
    ? h('div', { class: 'scroll' }, h('table', { 'data-testid': 'event-runs' },
      h('thead', {}, h('tr', {}, ['Status', 'Run', 'Task'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {},
        ev.runs.map((r) => h('tr', { 'data-testid': 'event-run-row', 'data-run-id': r.id },
          h('td', {}, chip(r.status, 'event-run-status')), h('td', {}, runLink(r.id)), h('td', {}, r.task))),
        pruned.map((r) => h('tr', {}, h('td', { class: 'muted' }, 'pruned'), h('td', { class: 'mono muted' }, r), h('td', {}, ''))))))
    : h('p', { class: 'muted' }, 'No task subscribed to this event when it was published.');
  root.append(h('div', { class: 'head' }, h('h1', {}, h('span', { class: 'muted' }, 'Event '), h('span', { 'data-testid': 'event-title' }, ev.name))),
    h('div', { class: 'grid' },
      h('section', {}, h('h2', {}, 'Overview'), dl([
        ['Id', h('span', { class: 'mono', 'data-testid': 'event-id' }, ev.id)], ['Name', ev.name], ['Published', time(ev.publishedAt)],
        ['Published by', h('span', { 'data-testid': 'event-origin' }, ev.origin)], ['Runs', String((ev.runIDs || []).length)],
      ])),
      h('section', {}, h('h2', {}, 'Payload'), h('div', { 'data-testid': 'event-payload' }, pretty(ev.payload)))),
    h('section', {}, h('h2', {}, 'Runs it caused'), runs));
}

// ---------- tasks ----------

const secs = (s) => (s == null ? null : duration(s));

function taskCard(task, openEditor) {
  const o = task.options || {};
  const r = o.retry || {};
  const testBtn = h('button', { type: 'button', 'data-testid': `test-button-${task.name}`, 'aria-expanded': 'false' }, 'Test');
  const card = h('article', { class: 'card', 'data-testid': `task-${task.name}` },
    h('div', { class: 'card-head' }, h('h2', {}, task.name), h('span', { class: 'muted' }, `queue ${task.queue}`), h('span', { class: 'spacer' }),
      h('a', { href: `#/runs?task=${enc(task.name)}`, class: 'button secondary' }, 'Runs'), testBtn),
    task.description && h('p', { class: 'muted' }, task.description),
    dl([
      ['Timeout', secs(o.timeoutSeconds)], ['Max duration', secs(o.maxDurationSeconds)],
      ['Retry', r.maxAttempts != null ? `${r.maxAttempts} attempts, ${secs(r.minDelaySeconds)} – ${secs(r.maxDelaySeconds)}, ×${r.factor}${r.jitter ? `, jitter ${r.jitter}` : ''}` : null],
      ['Concurrency', o.concurrency != null ? String(o.concurrency) : 'unlimited'], ['Priority', o.priority != null ? String(o.priority) : null],
      ['TTL', secs(o.ttlSeconds)], ['Tags', (o.tags || []).length ? o.tags.map((t) => h('span', { class: 'tag' }, t)) : null],
    ]),
    (task.schedules || []).length ? h('div', {}, h('h3', {}, 'Schedules'), h('ul', { class: 'plain' }, task.schedules.map((s) =>
      h('li', {}, h('code', {}, s.expression), ` ${s.timeZone} `, s.paused ? chip('paused') : '', ' next ', time((s.nextFireTimes || [])[0], s.timeZone))))) : null);
  testBtn.addEventListener('click', () => openEditor(task, card, testBtn));
  return card;
}

function triggerEditor(task, close) {
  const key = `errand.payload.${task.name}`;
  let initial = '{}';
  try { initial = localStorage.getItem(key) || initial; } catch { /* storage may be off */ }
  const editor = jsonEditor(`Payload for ${task.name} (JSON)`, initial, 'payload-editor');
  const tags = h('input', { type: 'text', placeholder: 'a, b', 'data-testid': 'trigger-tags' });
  const priority = h('input', { type: 'number', step: 1, 'data-testid': 'trigger-priority' });
  const after = h('input', { type: 'text', placeholder: '10 minutes', 'data-testid': 'trigger-after' });
  const idem = h('input', { type: 'text', 'data-testid': 'trigger-idempotency' });
  const conc = h('input', { type: 'text', 'data-testid': 'trigger-concurrency' });
  const err = errorBox('trigger-error');
  const submit = h('button', { type: 'submit', 'data-testid': 'trigger-submit' }, 'Trigger run');
  const form = h('form', {
    class: 'editor', 'data-testid': 'trigger-form', 'aria-label': `Test ${task.name}`,
    onsubmit: async (e) => {
      e.preventDefault();
      err.show(null);
      const p = editor.read();
      if (!p) return;
      const body = { payload: p.value };
      const tagList = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
      if (tagList.length) body.tags = tagList;
      if (priority.value !== '') body.priority = Number(priority.value);
      const a = after.value.trim();
      if (a) body.after = a;  // the server parses it: milliseconds, "10 minutes" or a date
      if (idem.value.trim()) body.idempotencyKey = idem.value.trim();
      if (conc.value.trim()) body.concurrencyKey = conc.value.trim();
      submit.disabled = true;
      try {
        const r = await api('POST', `/api/v1/tasks/${enc(task.name)}/trigger`, body);
        try { localStorage.setItem(key, $('textarea', editor).value); } catch { /* storage may be off */ }
        location.hash = `#/runs/${enc(r.id)}`;
      } catch (e2) {
        err.show(e2);
        if (String(e2.field).startsWith('payload')) $('textarea', editor).setAttribute('aria-invalid', 'true');
        submit.disabled = false;
      }
    },
  },
  editor,
  h('details', {}, h('summary', {}, 'More options'), h('div', { class: 'row' },
    field('Tags', tags, 'comma separated'), field('Priority', priority), field('Start after', after, 'milliseconds, "10 minutes" or a date'),
    field('Idempotency key', idem), field('Concurrency key', conc))),
  err,
  h('div', { class: 'toolbar' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Close')));
  return form;
}

async function viewTasks(ctx) {
  ctx.root.append(h('div', { class: 'head' }, h('h1', {}, 'Tasks')));
  const { tasks } = await api('GET', '/api/v1/tasks');
  if (!ctx.alive()) return;
  state.tasks = Promise.resolve(tasks.map((t) => t.name));
  let open = null;
  const openEditor = (task, card, btn) => {
    const wasThis = open && open.card === card;
    const shut = (o) => { o.form.remove(); o.card.classList.remove('editing'); o.btn.setAttribute('aria-expanded', 'false'); open = null; };
    if (open) shut(open);
    if (wasThis) return;
    const form = triggerEditor(task, () => { shut({ card, form, btn }); btn.focus(); });
    card.classList.add('editing');
    card.append(form);
    btn.setAttribute('aria-expanded', 'true');
    open = { card, form, btn };
    $('textarea', form).focus();
  };
  if (!tasks.length) ctx.root.append(h('p', { class: 'muted' }, 'No task is registered.'));
  ctx.root.append(h('div', { class: 'cards', 'data-testid': 'tasks' }, tasks.map((t) => taskCard(t, openEditor))));
}

// ---------- schedules ----------

async function viewSchedules(ctx) {
  const tbody = h('tbody', {});
  const empty = h('p', { class: 'muted', hidden: true }, 'No schedule yet.');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const listErr = errorBox('schedules-error');
  let cursor = null;

  const act = async (path, method, what) => {
    try {
      const s = await api(method, path);
      toast(`Schedule ${s.key || s.id} ${what}`);
      await reload();
    } catch (e) { listErr.show(e); }
  };
  const row = (s) => h('tr', { 'data-testid': 'schedule-row', 'data-schedule-id': s.id, 'data-schedule-key': s.key },
    h('td', {}, h('a', { href: `#/runs?task=${enc(s.task)}` }, s.task)),
    h('td', {}, h('code', {}, s.expression)),
    h('td', {}, s.timeZone),
    h('td', {}, h('ol', { class: 'fires', 'data-testid': 'next-fire-times' }, (s.nextFireTimes || []).map((t) => h('li', {}, time(t, s.timeZone))))),
    h('td', {}, s.paused ? chip('paused', 'schedule-state') : chip('active', 'schedule-state')),
    h('td', {}, s.lastRunID ? runLink(s.lastRunID) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'mono small' }, s.key, s.declared ? h('div', { class: 'muted' }, 'declared') : ''),
    h('td', { class: 'actions' },
      s.paused
        ? h('button', { type: 'button', class: 'secondary', onclick: () => act(`/api/v1/schedules/${enc(s.id)}/resume`, 'POST', 'resumed') }, 'Resume')
        : h('button', { type: 'button', class: 'secondary', onclick: () => act(`/api/v1/schedules/${enc(s.id)}/pause`, 'POST', 'paused') }, 'Pause'),
      h('button', { type: 'button', class: 'danger', onclick: () => { if (confirm(`Delete the schedule of ${s.task} (${s.expression})?`)) act(`/api/v1/schedules/${enc(s.id)}`, 'DELETE', 'deleted'); } }, 'Delete')));

  const loadPage = async () => {
    const r = await api('GET', `/api/v1/schedules${cursor ? `?cursor=${enc(cursor)}` : ''}`);
    if (!ctx.alive()) return;
    tbody.append(...r.schedules.map(row));
    cursor = r.nextCursor;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  const reload = async () => { cursor = null; tbody.replaceChildren(); listErr.show(null); await loadPage(); };
  more.addEventListener('click', () => loadPage().catch((e) => listErr.show(e)));

  // The create form.
  const taskSel = h('select', { required: true, 'data-testid': 'schedule-task' });
  taskNames().then((names) => taskSel.append(...names.map((n) => h('option', { value: n }, n))));
  const expr = h('input', { type: 'text', required: true, placeholder: 'rate(5 minutes) or cron(0 2 * * ? *)', 'data-testid': 'schedule-expression' });
  const tz = h('input', { type: 'text', value: 'UTC', 'data-testid': 'schedule-timezone' });
  const key = h('input', { type: 'text', placeholder: 'optional dedup key', 'data-testid': 'schedule-key' });
  const payload = jsonEditor('Payload (JSON)', '{}', 'schedule-payload');
  $('textarea', payload).rows = 3;
  const formErr = errorBox('schedule-error');
  const inputs = { task: taskSel, expression: expr, timezone: tz, key };
  const form = h('form', {
    class: 'editor', 'data-testid': 'schedule-form',
    onsubmit: async (e) => {
      e.preventDefault();
      formErr.show(null);
      for (const el of Object.values(inputs)) el.removeAttribute('aria-invalid');
      const p = payload.read();
      if (!p) return;
      const body = { task: taskSel.value, expression: expr.value.trim(), timezone: tz.value.trim() || 'UTC', payload: p.value };
      if (key.value.trim()) body.key = key.value.trim();
      try {
        const s = await api('POST', '/api/v1/schedules', body);
        toast(s.createdAt === s.updatedAt ? 'Schedule created' : 'Schedule saved');
        expr.value = ''; key.value = '';
        await reload();
      } catch (e2) {
        formErr.show(e2);
        const bad = inputs[e2.field] || (String(e2.field).startsWith('payload') ? $('textarea', payload) : null);
        if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
      }
    },
  },
  h('div', { class: 'row' }, field('Task', taskSel), field('Expression', expr), field('Time zone', tz, 'IANA name, e.g. Europe/Paris'), field('Key', key)),
  payload, formErr, h('div', { class: 'toolbar' }, h('button', { type: 'submit', 'data-testid': 'schedule-submit' }, 'Create schedule')));

  ctx.root.append(h('div', { class: 'head' }, h('h1', {}, 'Schedules')), listErr,
    h('div', { class: 'scroll' }, h('table', { 'data-testid': 'schedules-table' },
      h('thead', {}, h('tr', {}, ['Task', 'Expression', 'Time zone', 'Next five fire times', 'State', 'Last run', 'Key', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody)), empty, more,
    h('section', {}, h('h2', {}, 'New schedule'), form));
  await loadPage();
}

// ---------- queues ----------

async function viewQueues(ctx) {
  const counts = ['delayed', 'queued', 'executing', 'retrying', 'waiting'];
  const tbody = h('tbody', {});
  const err = errorBox('queues-error');
  ctx.root.append(h('div', { class: 'head' }, h('h1', {}, 'Queues'), h('span', { class: 'muted' }, 'refreshed every 2 s')), err,
    h('div', { class: 'scroll' }, h('table', { 'data-testid': 'queues-table' },
      h('thead', {}, h('tr', {}, ['Queue', 'Concurrency', 'State', ...counts, 'Action'].map((c) => h('th', { scope: 'col', class: counts.includes(c) ? 'num' : null }, c)))),
      tbody)));
  const toggle = async (q) => {
    try { await api('POST', `/api/v1/queues/${enc(q.name)}/${q.paused ? 'resume' : 'pause'}`); toast(`Queue ${q.name} ${q.paused ? 'resumed' : 'paused'}`); await load(); } catch (e) { err.show(e); }
  };
  const load = async () => {
    const r = await api('GET', '/api/v1/queues');
    if (!ctx.alive()) return;
    err.show(null);
    tbody.replaceChildren(...r.queues.map((q) => h('tr', { 'data-testid': 'queue-row', 'data-queue': q.name },
      h('td', {}, q.name), h('td', {}, q.concurrency == null ? 'unlimited' : String(q.concurrency)),
      h('td', {}, chip(q.paused ? 'paused' : 'active')),
      counts.map((c) => h('td', { class: 'num' }, (q.counts || {})[c] ? h('a', { href: `#/runs?status=${c}`, class: `count s-${c}` }, String(q.counts[c])) : h('span', { class: 'muted' }, '0'))),
      h('td', {}, h('button', { type: 'button', class: 'secondary', 'data-testid': `queue-toggle-${q.name}`, onclick: () => toggle(q) }, q.paused ? 'Resume' : 'Pause')))));
    if (!r.queues.length) tbody.append(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No queue yet.')));
  };
  await load();
  if (!ctx.alive()) return;
  const timer = setInterval(() => load().catch((e) => { if (ctx.alive()) err.show(e); }), 2000);
  onLeave(() => clearInterval(timer));
}

// ---------- login ----------

async function viewLogin(ctx) {
  await loadSession();
  if (!ctx.alive()) return;
  const s = state.session;
  ctx.root.append(h('h1', {}, 'Sign in'));
  if (!s.authRequired) {
    ctx.root.append(h('p', {}, 'This server has no API key, so no sign-in is needed. ', h('a', { href: '#/runs' }, 'Go to runs')));
    return;
  }
  if (s.authenticated) {
    ctx.root.append(h('p', {}, `Signed in with ${s.scope} access. `, h('a', { href: '#/runs' }, 'Go to runs')));
    return;
  }
  const key = h('input', { type: 'password', required: true, autocomplete: 'current-password', 'data-testid': 'login-key' });
  const err = errorBox('login-error');
  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Sign in');
  ctx.root.append(h('form', {
    class: 'editor narrow', 'data-testid': 'login-form',
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      try {
        const r = await api('POST', '/login', { key: key.value }, { login: false });
        state.csrf = r.csrfToken;
        state.session = { authRequired: true, authenticated: true, scope: r.scope, csrfToken: r.csrfToken };
        renderWho();
        const back = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : '#/runs';
        state.returnTo = null;
        location.hash = back;
      } catch (e2) {
        err.show(e2.status === 401 ? { status: 401, message: 'That API key is not valid (unknown or revoked).' } : e2);
        submit.disabled = false;
        key.select();
      }
    },
  }, h('p', { class: 'muted' }, 'This server needs an API key (see errand keys create).'), field('API key', key), err, h('div', { class: 'toolbar' }, submit)));
  key.focus();
}

// ---------- start ----------

(async () => {
  await loadSession();
  window.addEventListener('hashchange', route);
  if (!location.hash) history.replaceState(null, '', '#/runs');
  route();
})();
