// The topology page's HTML: a static shell whose script polls the JSON twin every second with
// the admin token it was opened with (?access_token=...), and renders every process, the gone
// ones and a room's owner with DOM calls only (no markup from data, so nothing is injected).
export const TOPOLOGY_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Homeserver topology</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.4em; margin: 0 0 .3em; }
  table { border-collapse: collapse; width: 100%; margin: .8em 0; }
  th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
  th { background: #f0f0f0; }
  td ul { margin: 0; padding-left: 1.1em; }
  .stale { color: #b00; }
  .muted { color: #777; }
  #status { font-size: .9em; }
</style>
</head>
<body>
<h1>Homeserver topology</h1>
<div id="status" class="muted">loading…</div>
<p><label>Room owner: <input id="room" size="50" placeholder="!room:server"></label> <span id="room-owner" class="muted"></span></p>
<table>
  <thead><tr><th>worker</th><th>app</th><th>roles</th><th>stream writers</th><th>actors hosted</th><th>stream readers (position / latest, lag)</th><th>last heartbeat</th><th>version</th></tr></thead>
  <tbody id="processes"></tbody>
</table>
<h2 style="font-size:1.1em">Gone</h2>
<ul id="gone"></ul>
<script>
(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('access_token') || sessionStorage.getItem('hs_admin_token') || '';
  if (token) sessionStorage.setItem('hs_admin_token', token);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
  const list = (items) => { const ul = el('ul'); for (const item of items) ul.appendChild(el('li', item)); return ul; };
  const cell = (content) => { const td = el('td'); if (content instanceof Node) td.appendChild(content); else td.textContent = content; return td; };
  const room = document.getElementById('room');
  room.value = params.get('room_id') || '';
  async function refresh() {
    const query = new URLSearchParams();
    if (room.value.trim()) query.set('room_id', room.value.trim());
    let data;
    try {
      const response = await fetch('topology.json?' + query, { headers: { authorization: 'Bearer ' + token } });
      data = await response.json();
      if (!response.ok) throw new Error((data && data.error) || response.status);
    } catch (error) {
      document.getElementById('status').textContent = 'cannot load the topology: ' + error.message;
      document.getElementById('status').className = 'stale';
      return;
    }
    const status = document.getElementById('status');
    status.textContent = data.processes.length + ' live processes, served by ' + data.served_by + ', updated ' + new Date(data.generated_at_ms).toLocaleTimeString();
    status.className = 'muted';
    const body = document.getElementById('processes');
    body.replaceChildren(...data.processes.map((p) => {
      const tr = el('tr');
      tr.dataset.worker = p.worker_name;
      tr.append(
        cell(p.worker_name), cell(p.worker_app), cell(p.roles.join(', ')),
        cell(list(p.stream_writers.map((w) => w.stream + ' @ ' + w.position))),
        cell(list(p.actor_kinds.map((k) => k.kind + ': ' + k.actors + ' actors, ' + k.queued + ' queued'))),
        cell(list(p.stream_readers.flatMap((r) => r.writers.map((w) => r.stream + ' from ' + w.writer + ': ' + w.position + ' / ' + w.latest + ', lag ' + w.lag + (r.ready ? '' : ' (catching up)'))))),
        cell((p.last_heartbeat_age_ms / 1000).toFixed(1) + ' s ago'), cell(p.version),
      );
      if (p.last_heartbeat_age_ms > 2 * p.heartbeat_interval_ms) tr.className = 'stale';
      return tr;
    }));
    document.getElementById('gone').replaceChildren(...data.gone.map((g) => {
      const li = el('li', g.worker_name + ' (' + g.worker_app + '), last seen ' + (g.last_seen_ms ? new Date(g.last_seen_ms).toLocaleTimeString() : 'never') + (g.stopped_cleanly ? ', stopped' : ', silent'));
      li.dataset.gone = g.worker_name;
      return li;
    }));
    const owner = document.getElementById('room-owner');
    owner.textContent = data.room ? data.room.room_id + ' is owned by ' + data.room.owner : '';
    owner.dataset.owner = data.room ? data.room.owner : '';
  }
  refresh();
  setInterval(refresh, 1000);
  room.addEventListener('change', refresh);
})();
</script>
</body>
</html>
`;
