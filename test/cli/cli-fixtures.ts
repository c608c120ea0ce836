/**
 * What the CLI tests share: a closed port for "unreachable", the messages a
 * room holds (read over plain HTTP, not through the CLI under test), and a
 * proxy that loses one answer on purpose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageEvent } from '../../src/protocol/index.js';
import { poll } from '../helpers/index.js';

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every retained message of `room`, in seq order. */
export async function roomMessages(base: string, room: string, token?: string): Promise<MessageEvent[]> {
  const res = await poll(base, room, { after: 0, timeout: 0, ...(token ? { token } : {}) });
  if (res.status !== 200) throw new Error(`poll ${room}: ${res.status} ${res.text}`);
  return res.body.events.filter((e): e is MessageEvent => e.type === 'message');
}

export interface LossyProxy {
  url: string;
  /** POST requests that reached the proxy, in order, with their JSON bodies. */
  posts: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Forwards everything to `target`, but swallows the answer to the first POST
 * (the server did store it): the client sees a timeout, like a lost ack.
 */
export async function lossyProxy(target: string): Promise<LossyProxy> {
  const posts: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isPost = req.method === 'POST';
      if (isPost) posts.push(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
      const swallow = isPost && posts.length === 1;
      const up = http.request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (upRes) => {
          const upChunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => upChunks.push(c));
          upRes.on('end', () => {
            if (swallow) return;
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(upChunks));
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BareRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the binary as `ssh -T host rtchat …` would: `env -i PATH=$PATH`, no
 * TERM, no HOME, pipes only. Bounded; the child is killed by PID on timeout.
 */
export async function runBare(args: string[], input: string, timeoutMs = 15_000): Promise<BareRun> {
  const { spawn } = await import('node:child_process');
  const { BIN, ROOT } = await import('../helpers/index.js');
  const child = spawn('env', ['-i', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, process.execPath, BIN, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}

/** A self-signed certificate for localhost and 127.0.0.1 (valid to 2126) and its key. */
export const TLS_CERT = new URL('./fixtures/tls-cert.pem', import.meta.url);
const TLS_KEY = new URL('./fixtures/tls-key.pem', import.meta.url);

export interface TlsProxy {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * TLS in front of a plain server, as nginx would terminate it: every TCP
 * connection is decrypted and piped to `targetPort`, so HTTP, SSE and
 * WebSocket all work over https with TLS_CERT trusted.
 */
export async function tlsProxy(targetPort: number): Promise<TlsProxy> {
  const { readFileSync } = await import('node:fs');
  const net = await import('node:net');
  const tls = await import('node:tls');
  const sockets = new Set<import('node:net').Socket>();
  const server = tls.createServer({ key: readFileSync(TLS_KEY), cert: readFileSync(TLS_CERT) }, (client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  // A plain-HTTP client makes the handshake fail; that is what the tests are about.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
