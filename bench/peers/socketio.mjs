// Socket.IO 4 as a chat server would use it: one room, `io.to(room).emit` of
// the same message object. `--transport websocket|polling` (env SIO_TRANSPORT)
// restricts it to one transport so each is measured on its own. A subscriber
// sends its session and nick as the CONNECT packet's auth payload; the socket
// keeps them in `socket.data`, as a Socket.IO chat server would.
import { Server } from 'socket.io';
import { adminIpc, handlePublish, http, listen, notFound } from './common.mjs';

const arg = process.argv.indexOf('--transport');
const transport = (arg > 0 ? process.argv[arg + 1] : process.env.SIO_TRANSPORT) ?? 'websocket';
if (transport !== 'websocket' && transport !== 'polling') {
  process.stderr.write(`socketio peer: unknown transport ${transport}\n`);
  process.exit(2);
}
const state = { seq: 0 };
const ROOM = 'bench';

const server = http.createServer();
const io = new Server(server, {
  transports: [transport],
  allowUpgrades: false,
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  cors: { origin: '*' },
});
// Socket.IO owns /socket.io/; every other request falls through to here.
server.on('request', (req, res) => {
  if (req.url?.startsWith('/socket.io/')) return;
  if (handlePublish(req, res, state, (event) => io.to(ROOM).emit('message', event))) return;
  notFound(res);
});
io.on('connection', (socket) => {
  const { session, nick } = socket.handshake.auth ?? {};
  socket.data.member = { session, nick };
  socket.join(ROOM);
});
adminIpc(() => ({ connections: io.engine.clientsCount }));
listen(server);
