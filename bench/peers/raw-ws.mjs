// The limit for WebSocket fan-out: plain `ws`, one frame and one write per
// message per client, the JSON encoded once per broadcast. No rooms, no
// history, no acks: what any WebSocket server has to do at the least.
import { WebSocketServer } from 'ws';
import { adminIpc, handlePublish, http, listen, notFound } from './common.mjs';

const clients = new Set();
const state = { seq: 0 };
const HELLO = Buffer.from('{"type":"hello","protocol":1,"server":"raw-ws"}');

const server = http.createServer((req, res) => {
  if (handlePublish(req, res, state, (_event, json) => {
    const buf = Buffer.from(json);
    for (const ws of clients) ws.send(buf, { binary: false });
  })) return;
  notFound(res);
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
  ws.on('error', () => clients.delete(ws));
  ws.send(HELLO, { binary: false });
});
adminIpc(() => ({ connections: clients.size }));
listen(server);
