// The limit for WebSocket fan-out: plain `ws`, one frame and one write per
// message per client, the JSON encoded once per broadcast. No rooms, no
// history, no acks: what any WebSocket server has to do at the least. Each
// socket's member (session and nick from the upgrade's query) is kept.
import { WebSocketServer } from 'ws';
import { adminIpc, handlePublish, http, listen, memberOf, notFound } from './common.mjs';

/** Open sockets and who each one is. */
const clients = new Map();
const state = { seq: 0 };
const HELLO = Buffer.from('{"type":"hello","protocol":1,"server":"raw-ws"}');

const server = http.createServer((req, res) => {
  if (
    handlePublish(req, res, state, (_event, json) => {
      const buf = Buffer.from(json);
      for (const ws of clients.keys()) ws.send(buf, { binary: false });
    })
  )
    return;
  notFound(res);
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws, req) => {
  clients.set(ws, memberOf(req.url));
  ws.on('close', () => clients.delete(ws));
  ws.on('error', () => clients.delete(ws));
  ws.send(HELLO, { binary: false });
});
adminIpc(() => ({ connections: clients.size }));
listen(server);
