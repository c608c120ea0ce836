/**
 * A TCP proxy on 127.0.0.1 that counts what one client's connections carry:
 * payload bytes and reads each way, connections opened and closed, and
 * bursts (traffic after a quiet spell). Both sides run with Nagle off, so a
 * chunk is forwarded as it is read: the proxy adds no coalescing of its own.
 *
 * A read is one data-carrying TCP segment when traffic is sparse, as an idle
 * client's is (a heartbeat, a pong, a poll answer: each fits one segment and
 * arrives alone). Pure ACKs carry no data and are not seen here; see
 * docs/benchmarks.md for how the figures compare with a packet capture.
 */
import net from 'node:net';

/** Traffic separated by at least this much silence counts as a new burst (a radio wake-up), ms. */
export const BURST_GAP_MS = 1000;
/** Segments of a TCP handshake (SYN, SYN-ACK, ACK) and of a close (FIN, ACK each way). */
export const OPEN_SEGMENTS = 3;
export const CLOSE_SEGMENTS = 4;

export interface ProxyCounts {
  /** Payload bytes, client to server and back. */
  bytesUp: number;
  bytesDown: number;
  /** Reads of data, each way: data-carrying segments of sparse traffic. */
  readsUp: number;
  readsDown: number;
  /** Connections the client opened and closed (either side closing). */
  opened: number;
  closed: number;
  /** Bursts of traffic (data, opens or closes) separated by ≥ BURST_GAP_MS of silence. */
  bursts: number;
}

export class CountingProxy {
  private counts: ProxyCounts = CountingProxy.zero();
  private lastEventAt = -Infinity;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  private static zero(): ProxyCounts {
    return { bytesUp: 0, bytesDown: 0, readsUp: 0, readsDown: 0, opened: 0, closed: 0, bursts: 0 };
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (`http://host:port`). */
  static async start(target: string): Promise<CountingProxy> {
    const t = new URL(target);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    const proxy = new CountingProxy(server, `http://127.0.0.1:${port}`);
    // Nobody knows the port before this returns: no connection can come in before the listener.
    server.on('connection', (client) => proxy.accept(client, t.hostname, Number(t.port)));
    return proxy;
  }

  private event(): void {
    const now = performance.now();
    if (now - this.lastEventAt >= BURST_GAP_MS) this.counts.bursts++;
    this.lastEventAt = now;
  }

  private accept(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect({ host, port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.sockets.add(client).add(upstream);
    this.counts.opened++;
    this.event();
    client.on('data', (buf: Buffer) => {
      this.counts.bytesUp += buf.length;
      this.counts.readsUp++;
      this.event();
      upstream.write(buf);
    });
    upstream.on('data', (buf: Buffer) => {
      this.counts.bytesDown += buf.length;
      this.counts.readsDown++;
      this.event();
      client.write(buf);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    let closed = false;
    const onClose = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      if (closed) return;
      closed = true;
      this.counts.closed++;
      this.event();
    };
    client.on('close', onClose);
    upstream.on('close', () => {
      client.destroy();
      onClose();
    });
  }

  /** Zeroes the counters: what follows is the measured window. */
  reset(): void {
    this.counts = CountingProxy.zero();
    this.lastEventAt = -Infinity;
  }

  snapshot(): ProxyCounts {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
