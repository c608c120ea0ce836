/**
 * Child-process host of an rtchat server for `rtchat bench` and bench/run.js:
 * the same `startServer` as `rtchat serve --memory --port 0`, plus the IPC
 * admin hook the peers have (forced GC and memory figures), so idle memory
 * per connection is measured the same way for every server.
 *
 * Env: RTCHAT_BENCH_PORT (default 0).
 */
import { startServer } from '../server/server.js';
import { silentLogger } from '../server/logger.js';
import { answerAdmin } from './admin.js';

const server = await startServer({
  host: '127.0.0.1',
  port: Number(process.env.RTCHAT_BENCH_PORT ?? 0),
  logger: silentLogger(),
});
answerAdmin();
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
process.stdout.write(`${server.url}\n`);
process.send?.({ type: 'ready', url: server.url, pid: process.pid });
