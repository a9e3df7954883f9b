// The fleet dashboard: plain browser JavaScript, no build step. It reads the same API a pipeline uses, with a
// read token the operator gives (kept for this tab only, in sessionStorage, or passed as #token=... in the URL).
'use strict';

const view = {
  token: '',
  fleet: '',
  filter: '',
  watching: null,     // the run whose events are being streamed
  refreshTimer: null,
};

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function say(text) {
  $('message').textContent = text || '';
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + view.token } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body && body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + response.status);
  }
  return body;
}

// ---- fleets and the grid ---------------------------------------------------------------------------------

async function loadFleets() {
  const data = await api('/fleets');
  const select = $('fleet');
  select.replaceChildren(...data.fleets.map((f) => element('option', f.name)));
  if (!data.fleets.length) {
    say('No fleet is configured in this service.');
    return;
  }
  view.fleet = view.fleet || data.fleets[0].name;
  select.value = view.fleet;
  await loadStatus();
}

async function loadStatus() {
  if (!view.fleet) return;
  const query = view.filter ? '?filter=' + encodeURIComponent(view.filter) : '';
  const status = await api('/fleets/' + encodeURIComponent(view.fleet) + '/status' + query);
  renderFilter(status.attributes);
  renderVersions(status);
  renderGrid(status);
  renderRun(status.run);
  if (status.run && status.run.state === 'running' && view.watching !== status.run.id) {
    watch(status.run.id);
  }
  say('');
}

function renderFilter(attributes) {
  const select = $('filter');
  const options = [element('option', 'all tenants')];
  options[0].value = '';
  for (const [key, values] of Object.entries(attributes)) {
    for (const value of values) {
      const option = element('option', key + '=' + value);
      option.value = key + '=' + value;
      options.push(option);
    }
  }
  select.replaceChildren(...options);
  select.value = view.filter;
}

function renderVersions(status) {
  const table = $('versions');
  const rows = [];
  for (const module of status.modules) {
    const counts = status.versions[module] || {};
    const row = element('tr');
    row.append(element('th', module));
    for (const [version, count] of Object.entries(counts)) {
      row.append(element('td', (version === 'none' ? 'none' : 'v' + version) + ': ' + count));
    }
    rows.push(row);
  }
  table.replaceChildren(...rows);
}

function renderGrid(status) {
  const table = $('grid');
  const head = element('tr');
  head.append(element('th', 'tenant'), element('th', 'schema'), element('th', 'attributes'));
  status.modules.forEach((m) => head.append(element('th', m)));
  head.append(element('th', 'message'));
  const rows = [head];
  for (const tenant of status.tenants) {
    const row = element('tr');
    row.dataset.tenant = tenant.tenant;
    const name = element('td', tenant.tenant, 'tenant');
    name.addEventListener('click', () => showHistory(tenant.tenant, row));
    const attributes = Object.entries(tenant.attributes).map(([k, v]) => k + '=' + v).join(' ');
    row.append(name, element('td', tenant.schema), element('td', attributes));
    for (const module of status.modules) {
      const cell = tenant.modules[module];
      const td = element('td', cell.version === null ? '–' : cell.version, 'cell state-' + cell.state);
      td.dataset.tenant = tenant.tenant;
      td.dataset.module = module;
      td.dataset.state = cell.state;
      td.title = cell.state + (cell.pending ? ', ' + cell.pending + ' pending' : '');
      row.append(td);
    }
    row.append(element('td', tenant.message || ''));
    rows.push(row);
  }
  table.replaceChildren(...rows);
  table.dataset.loaded = 'true';
  $('tenant-count').textContent = '(' + status.tenants.length + ')';
}

function renderRun(run) {
  if (!run) {
    $('run-state').textContent = 'No run yet.';
    return;
  }
  $('run-state').textContent = run.command + (run.dry_run ? ' (dry run)' : '') + ' run ' + run.id + ': ' + run.state
      + (run.state === 'running' ? '' : ', ' + run.outcome) + (run.stop_reason ? ' — ' + run.stop_reason : '')
      + (run.error ? ' — ' + run.error : '');
  $('run-state').dataset.state = run.state;
  renderCounts(run.counts);
}

function renderCounts(counts) {
  if (!counts) return;
  const finished = counts.done + counts.failed + counts.skipped;
  const bar = $('run-progress');
  bar.style.width = (counts.total ? Math.round(100 * finished / counts.total) : 0) + '%';
  bar.classList.toggle('failed', counts.failed > 0);
  $('run-counts').textContent = finished + ' of ' + counts.total + ' finished: ' + counts.done + ' done, '
      + counts.failed + ' failed, ' + counts.skipped + ' skipped, ' + counts.running + ' running, '
      + counts.pending + ' pending';
}

// ---- a tenant's history ----------------------------------------------------------------------------------

async function showHistory(tenant, row) {
  document.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
  row.classList.add('selected');
  const data = await api('/fleets/' + encodeURIComponent(view.fleet) + '/tenants/' + encodeURIComponent(tenant)
      + '/history');
  $('history-tenant').textContent = tenant + ' (' + data.schema + ')';
  const head = element('tr');
  ['when', 'module', 'version', 'name', 'action', 'outcome', 'ms', 'error'].forEach((h) => head.append(element('th', h)));
  const rows = [head];
  for (const entry of data.history.slice().reverse()) {
    const tr = element('tr');
    tr.append(element('td', entry.installed_at), element('td', entry.module), element('td', entry.version),
        element('td', entry.name), element('td', entry.action), element('td', entry.outcome),
        element('td', entry.duration_ms), element('td', entry.error || ''));
    rows.push(tr);
  }
  $('history').replaceChildren(...rows);
  $('history').dataset.tenant = tenant;
  $('history-panel').hidden = false;
}

// ---- live progress: server-sent events, read with fetch so the token goes in a header -------------------------

async function watch(runId) {
  view.watching = runId;
  try {
    const response = await fetch('/runs/' + encodeURIComponent(runId) + '/events', {
      headers: { Authorization: 'Bearer ' + view.token, Accept: 'text/event-stream' },
    });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (handleEvent(parseEvent(block), runId)) return;
      }
    }
  } catch (e) {
    say('Live progress stopped: ' + e.message);
  } finally {
    if (view.watching === runId) view.watching = null;
  }
}

function parseEvent(block) {
  const event = { type: 'message', data: '' };
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event.type = line.slice(6).trim();
    else if (line.startsWith('data:')) event.data += line.slice(5).trim();
  }
  return event;
}

/** Returns true at the run's end. */
function handleEvent(event, runId) {
  if (!event.data) return false;
  const data = JSON.parse(event.data);
  if (event.type === 'tenant-started') {
    document.querySelectorAll('td.cell[data-tenant="' + CSS.escape(data.tenant) + '"]').forEach((td) => {
      td.className = 'cell state-running';
      td.dataset.state = 'running';
    });
    renderCounts(data.counts);
  } else if (event.type === 'tenant-finished') {
    renderCounts(data.counts);
    scheduleRefresh();
  } else if (event.type === 'end') {
    renderRun(data);
    loadStatus().catch((e) => say(e.message));
    return true;
  }
  $('run-state').dataset.run = runId;
  return false;
}

// versions are re-read at most once a second while tenants finish
function scheduleRefresh() {
  if (view.refreshTimer) return;
  view.refreshTimer = setTimeout(() => {
    view.refreshTimer = null;
    loadStatus().catch((e) => say(e.message));
  }, 1000);
}

// ---- start -----------------------------------------------------------------------------------------------

function start() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('gearshift-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);  // keep it out of the address bar
  }
  view.token = sessionStorage.getItem('gearshift-token') || '';
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    view.token = $('token').value.trim();
    sessionStorage.setItem('gearshift-token', view.token);
    $('token').value = '';
    loadFleets().catch((err) => say(err.message));
  });
  $('fleet').addEventListener('change', () => {
    view.fleet = $('fleet').value;
    view.filter = '';
    loadStatus().catch((e) => say(e.message));
  });
  $('filter').addEventListener('change', () => {
    view.filter = $('filter').value;
    loadStatus().catch((e) => say(e.message));
  });
  $('refresh').addEventListener('click', () => loadStatus().catch((e) => say(e.message)));
  if (!view.token) {
    say('Give a read token to see the fleet.');
    return;
  }
  loadFleets().catch((e) => say(e.message));
  // runs started by a pipeline show up without a reload
  setInterval(() => {
    if (!view.watching && view.token) loadStatus().catch((e) => say(e.message));
  }, 10000);
}

start();
