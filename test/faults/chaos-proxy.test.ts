import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, withTimeout } from '../helpers/index.js';
import { ChaosProxy } from './chaos-proxy.js';
import { Prng } from './prng.js';

/** An echo server that records how its connections ended. */
async function echoServer(): Promise<{ server: net.Server; port: number; closed: Promise<void>[] }> {
  const closed: Promise<void>[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    closed.push(new Promise((resolve) => s.on('close', () => resolve())));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return { server, port: a.port, closed };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('ChaosProxy', () => {
  it('delivers bytes intact and in order when late and split deliveries are drawn but no cut or stall', async () => {
    const echo = await echoServer();
    cleanup.push(() => new Promise((r) => echo.server.close(() => r())));
    const proxy = await ChaosProxy.start({
      targetPort: echo.port,
      seed: 1234,
      faults: { cut: 0, stall: 0, lifetimeCut: 0, late: 0.3, split: 0.5 },
      lateMs: [1, 20],
    });
    cleanup.push(() => proxy.close());
    const payload = new Prng(99).bytes(200_000);
    const sock = net.connect(proxy.port, '127.0.0.1');
    const got: Buffer[] = [];
    let gotBytes = 0;
    const all = new Promise<void>((resolve, reject) => {
      sock.on('data', (b: Buffer) => {
        got.push(b);
        gotBytes += b.length;
        if (gotBytes >= payload.length) resolve();
      });
      sock.on('error', reject);
      sock.on('close', () => reject(new Error(`closed after ${gotBytes} bytes`)));
    });
    // Many small writes, so that many chunks draw faults.
    for (let off = 0; off < payload.length; off += 1000) sock.write(payload.subarray(off, off + 1000));
    await withTimeout(all, 20_000, 'the echoed payload');
    sock.destroy();
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(gotBytes).toBe(payload.length);
    expect(digest(Buffer.concat(got))).toBe(digest(payload));
    expect(proxy.stats.cuts).toBe(0);
    expect(proxy.stats.late + proxy.stats.splits).toBeGreaterThan(0);
  });

  it('a cut closes both the client side and the server side', async () => {
    const echo = await echoServer();
    cleanup.push(() => new Promise((r) => echo.server.close(() => r())));
    const proxy = await ChaosProxy.start({
      targetPort: echo.port,
      seed: 7,
      faults: { cut: 1, stall: 0, lifetimeCut: 0 },
    });
    cleanup.push(() => proxy.close());
    const sock = net.connect(proxy.port, '127.0.0.1');
    sock.on('error', () => undefined);
    const clientClosed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write('hello');
    await withTimeout(clientClosed, 5000, 'the client side to close');
    await withTimeout(
      (async () => {
        while (echo.closed.length === 0) await new Promise((r) => setTimeout(r, 10));
        await echo.closed[0];
      })(),
      5000,
      'the server side to close',
    );
    expect(proxy.stats.cuts).toBe(1);
    await waitFor(() => proxy.openConnections === 0, { what: 'the proxy to forget the link' });
  });

  it('the same seed draws the same faults per connection', () => {
    const a = new Prng(42).fork(3);
    const b = new Prng(42).fork(3);
    const c = new Prng(42).fork(4);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });
});
