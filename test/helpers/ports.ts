import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for a process that must listen
 * on a port known in advance (a child server restarted in place, a proxy).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
