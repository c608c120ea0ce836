// Shared plumbing of the comparison peers: the same publish endpoint, the same
// event payload as rtchat, and an IPC admin hook (GC + memory) for the runner.
import http from 'node:http';

const MAX_BODY = 64 * 1024;

/**
 * Handles `POST /rooms/{room}/messages` exactly as rtchat answers it: the body
 * `{nick, session?, cid?, text}` becomes `{"type":"message","room","seq","nick","cid","text","ts"}`,
 * handed to `broadcast(event, json)`, and acked with 201.
 * Returns false when the request is not a publish (the caller handles it).
 */
export function handlePublish(req, res, state, broadcast) {
  const m = /^\/rooms\/([a-z0-9][a-z0-9_-]{0,63})\/messages$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return false;
  const room = m[1];
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"type":"error","code":"bad_request","message":"bad json"}');
      return;
    }
    const seq = ++state.seq;
    const ts = Date.now();
    const cid = typeof body.cid === 'string' ? body.cid : `s-${seq}`;
    const event = { type: 'message', room, seq, nick: body.nick, cid, text: body.text, ts };
    broadcast(event, JSON.stringify(event));
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'ack', cid, room, seq, ts }));
  });
  return true;
}

/** Answers the runner's `{cmd:'gc'|'mem', id}` messages when started with an IPC channel. */
export function adminIpc(extra = () => ({})) {
  if (!process.send) return;
  process.on('message', (msg) => {
    if (!msg || typeof msg !== 'object') return;
    const collect = msg.cmd === 'gc' && typeof globalThis.gc === 'function';
    if (collect) {
      globalThis.gc();
      globalThis.gc();
    }
    if (msg.cmd === 'gc' || msg.cmd === 'mem') {
      process.send({ id: msg.id, mem: process.memoryUsage(), gc: collect, ...extra() });
    }
    if (msg.cmd === 'exit') process.exit(0);
  });
  // The runner going away must not leave an orphan peer behind.
  process.on('disconnect', () => process.exit(0));
  // A clean exit, so `--cpu-prof` gets to write its profile.
  process.on('SIGTERM', () => process.exit(0));
}

/** Starts `server` on 127.0.0.1 (port from PORT, default 0) and prints/announces its URL. */
export function listen(server) {
  const port = Number(process.env.PORT ?? 0);
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    const url = `http://127.0.0.1:${addr.port}`;
    process.stdout.write(`${url}\n`);
    if (process.send) process.send({ type: 'ready', url, pid: process.pid });
  });
}

/**
 * The member a subscriber says it is, from `session` and `nick` in the query of
 * its request (`/?session=…&nick=…`), as an rtchat client sends them. A chat
 * server built on the peer would keep at least this per connection; the peers
 * keep it so that every server in a comparison holds the same identities.
 */
export function memberOf(url) {
  const q = new URL(url ?? '/', 'http://peer').searchParams;
  return { session: q.get('session') ?? undefined, nick: q.get('nick') ?? undefined };
}

export function notFound(res) {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"type":"error","code":"not_found","message":"not found"}');
}

export { http };
