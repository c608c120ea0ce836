/**
 * Minimal receivers for the many-connections run: thousands of them in one
 * test process, so each is a bare socket with a string scan, not a ChatClient.
 * Each resolves `ready` when the server has it in place and `got(seq)` when the
 * message with that seq arrived.
 */
import http from 'node:http';
import WebSocket from 'ws';

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
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const needle = `"seq":${seq},`;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room })));
  ws.on('message', (data) => {
    const s = data.toString();
    if (s.includes('"type":"hello"')) markReady();
    else if (s.includes('"type":"message"') && s.includes(needle)) markArrived(Date.now());
  });
  ws.on('error', (e) => fail(e));
  ws.on('close', () => fail(new Error('ws closed')));
  return { ready, arrived, close: () => ws.terminate() };
}

export function leanSse(base: string, room: string, seq: number): LeanReceiver {
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const req = http.get(`${base}/rooms/${room}/events?after=0`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
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
  });
  req.on('error', (e) => fail(e));
  return { ready, arrived, close: () => req.destroy() };
}

/**
 * One held long poll after `seq - 1`. The server gives no sign that it holds
 * the request, so `ready` resolves once the request is written; the caller
 * waits on the server's connection gauge.
 */
export function leanPoll(base: string, room: string, seq: number): LeanReceiver {
  const { ready, arrived, markReady, markArrived, fail } = handles();
  const req = http.get(`${base}/rooms/${room}/messages?after=${seq - 1}&timeout=55`, { agent: false }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    res.on('end', () => {
      if (body.includes(`"seq":${seq},`)) markArrived(Date.now());
      else fail(new Error(`poll answered without seq ${seq}: ${body.slice(0, 200)}`));
    });
  });
  req.on('error', (e) => fail(e));
  req.on('finish', () => markReady());
  return { ready, arrived, close: () => req.destroy() };
}
