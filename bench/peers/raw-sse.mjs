// The limit for SSE fan-out: bare `node:http`, one `res.write` per message per
// client, the event text encoded once per broadcast. Each stream's member
// (session and nick from the query) is kept.
import { adminIpc, handlePublish, http, listen, memberOf, notFound } from './common.mjs';

/** Open streams and who each one is. */
const clients = new Map();
const state = { seq: 0 };
const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};
const HELLO = 'retry: 1000\n\nevent: hello\ndata: {"type":"hello","protocol":1,"server":"raw-sse"}\n\n';

const server = http.createServer((req, res) => {
  if (
    handlePublish(req, res, state, (event, json) => {
      const buf = Buffer.from(`event: message\nid: ${event.seq}\ndata: ${json}\n\n`);
      for (const r of clients.keys()) r.write(buf);
    })
  )
    return;
  if (req.method === 'GET' && req.url?.startsWith('/rooms/') && req.url.includes('/events')) {
    res.writeHead(200, HEADERS);
    res.write(HELLO);
    clients.set(res, memberOf(req.url));
    res.on('close', () => clients.delete(res));
    return;
  }
  notFound(res);
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;
adminIpc(() => ({ connections: clients.size }));
listen(server);
