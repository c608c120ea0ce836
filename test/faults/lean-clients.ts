/**
 * Minimal receivers for the many-connections run: thousands of them in one
 * test process, so each is a bare socket with a string scan, not a ChatClient.
 * Each joins as `rtchat join` does, with its own session and a nick (so it is
 * a member of the room), resolves `ready` when the server has it in place and
 * `arrived` when the message with the wanted seq arrived.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import WebSocket from 'ws';
import { wsText } from '../../src/util/ws-text.js';

let made = 0;

/** `session=…&nick=…` for a new receiver: a random session and the nick `<via>-<n>`. */
function identity(via: string): string {
  return `session=${randomBytes(18).toString('base64url')}&nick=${via}-${++made}`;
}

export interface LeanReceiver {
  ready: Promise<void>;
  /** Wall-clock ms at which the wanted message arrived. */
  arrived: Promise<number>;
  close(): void;
}

function handles(): {
  ready: Promise<void>;
  arrived: Promise<number>;
  markReady: () => void;
  markArrived: (t: number) => void;
  fail: (e: Error) => void;
} {
  let markReady!: () => void;
  let markArrived!: (t: number) => void;
  let rejectReady!: (e: Error) => void;
  let rejectArrived!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    rejectReady = reject;
  });
  const arrived = new Promise<number>((resolve, reject) => {
    markArrived = resolve;
    rejectArrived = reject;
  });
  // Whoever awaits still sees the rejection; nobody awaiting is not a crash.
  ready.catch(() => undefined);
  arrived.catch(() => undefined);
  return {
    ready,
    arrived,
    markReady,
    markArrived,
    fail: (e) => {
      rejectReady(e);
      rejectArrived(e);
    },
  };
}

export function leanWs(base: string, room: string, seq: number): LeanReceiver {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?${identity('ws')}`, { perMessageDeflate: false });
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const needle = `"seq":${seq},`;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room })));
  ws.on('message', (data) => {
    const s = wsText(data);
    if (s.includes('"type":"hello"')) markReady();
    else if (s.includes('"type":"message"') && s.includes(needle)) markArrived(Date.now());
  });
  ws.on('error', (e) => fail(e));
  ws.on('close', (code) => fail(new Error(`ws closed ${code}`)));
  return { ready, arrived, close: () => ws.terminate() };
}

export function leanSse(base: string, room: string, seq: number): LeanReceiver {
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const req = http.get(
    `${base}/rooms/${room}/events?after=0&${identity('sse')}`,
    { agent: false, headers: { accept: 'text/event-stream' } },
    (res) => {
      if (res.statusCode !== 200) {
        fail(new Error(`sse: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let tail = '';
      res.on('data', (chunk: string) => {
        const s = tail + chunk;
        if (s.includes('event: hello')) markReady();
        if (s.includes(`id: ${seq}\n`)) markArrived(Date.now());
        tail = s.slice(-64);
      });
      res.on('error', (e) => fail(e));
      // The server ends a stream it gave up on (a slow reader): this receiver is then lost.
      res.on('end', () => fail(new Error('sse: the server ended the stream')));
    },
  );
  req.on('error', (e) => fail(e));
  return { ready, arrived, close: () => req.destroy() };
}

/**
 * Long polls from after `seq - 1` until that seq arrives, as the client polls:
 * with `pv`, so a presence change answers a held poll and the next poll starts
 * from its `next` with the newer version. The server gives no sign that it
 * holds a request, so `ready` resolves once the first request is written; the
 * caller waits on the server's connection gauge.
 */
export function leanPoll(base: string, room: string, seq: number): LeanReceiver {
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const who = identity('longpoll');
  let after = seq - 1;
  let pv = 0;
  let closed = false;
  let current: http.ClientRequest | undefined;
  const poll = (): void => {
    const req = http.get(
      `${base}/rooms/${room}/messages?after=${after}&timeout=55&pv=${pv}&${who}`,
      { agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(new Error(`poll: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
          if (body.includes(`"seq":${seq},`)) return markArrived(Date.now());
          const answer = JSON.parse(body) as { events: { type: string; version?: number }[]; next: number };
          for (const e of answer.events)
            if (e.type === 'presence' && e.version !== undefined) pv = Math.max(pv, e.version);
          after = answer.next;
          if (!closed) poll();
        });
      },
    );
    req.on('error', (e) => {
      if (!closed) fail(e);
    });
    req.once('finish', () => markReady());
    current = req;
  };
  poll();
  return {
    ready,
    arrived,
    close: () => {
      closed = true;
      current?.destroy();
    },
  };
}
