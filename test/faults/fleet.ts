/**
 * A fleet of real ChatClients on the three transports, all in one room, with
 * a probe on each that records what the application saw: every message seq,
 * every ack, reconnects, gaps and resets. The checks at the end are the
 * promise of rtchat: seq 1..total exactly once and in order on every client,
 * every send acked exactly once, and nothing stored twice.
 */
import { ChatClient } from '../../src/client/chat-client.js';
import type { ChatClientOptions } from '../../src/client/types.js';
import type { MessageEvent, Via } from '../../src/protocol/index.js';
import { waitFor } from '../helpers/index.js';
import type { Prng } from './prng.js';

export const VIAS: readonly Via[] = ['ws', 'sse', 'longpoll'];

export class Probe {
  readonly seqs: number[] = [];
  /** Local receipt minus server ts, ms (one machine, one clock). */
  readonly latencies: number[] = [];
  readonly acks = new Map<string, number>();
  readonly sent: string[] = [];
  reconnects = 0;
  /** Why each drop happened, as the client's state machine told it. */
  readonly dropReasons: string[] = [];
  gaps = 0;
  resets = 0;
  /** Set to stop recording latencies (e.g. during a catch-up that measures downtime). */
  recordLatency = true;

  constructor(
    readonly client: ChatClient,
    readonly via: Via,
    readonly name: string,
  ) {
    client.on('message', (m: MessageEvent) => {
      this.seqs.push(m.seq);
      if (this.recordLatency) this.latencies.push(Date.now() - m.ts);
    });
    client.on('ack', (a) => this.acks.set(a.cid, (this.acks.get(a.cid) ?? 0) + 1));
    client.on('state', (c) => {
      if (c.newState.name === 'reconnecting' && c.oldState.name === 'online') {
        this.reconnects++;
        this.dropReasons.push(c.newState.reason);
      }
    });
    client.on('gap', () => this.gaps++);
    client.on('reset', () => this.resets++);
  }

  get last(): number {
    return this.seqs.length === 0 ? 0 : this.seqs[this.seqs.length - 1]!;
  }

  send(text: string): string {
    const m = this.client.send(text);
    this.sent.push(m.cid);
    return m.cid;
  }

  /** The first way this probe breaks the promise for `total` messages, or undefined. */
  problem(total: number): string | undefined {
    if (this.seqs.length !== total) return `${this.name}: got ${this.seqs.length} messages, want ${total}`;
    for (let i = 0; i < total; i++) {
      if (this.seqs[i] !== i + 1) return `${this.name}: position ${i} holds seq ${this.seqs[i]}, want ${i + 1}`;
    }
    for (const cid of this.sent) {
      const n = this.acks.get(cid) ?? 0;
      if (n !== 1) return `${this.name}: cid ${cid} acked ${n} times`;
    }
    if (this.acks.size !== this.sent.length)
      return `${this.name}: ${this.acks.size} acks for ${this.sent.length} sends`;
    return undefined;
  }
}

/**
 * Posts `count` messages from anonymous-looking senders, each with its own
 * session (so the per-session rate limit does not pace the test), `perTick`
 * at a time every `tickMs`. Returns the cids.
 */
export async function postMessages(options: {
  url: string;
  room: string;
  count: number;
  perTick: number;
  tickMs: number;
  text: string;
  tag: string;
}): Promise<string[]> {
  const cids: string[] = [];
  const text = options.text;
  for (let i = 0; i < options.count; i += options.perTick) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(options.count, i + options.perTick); j++) {
      const cid = `${options.tag}-${j}`;
      cids.push(cid);
      batch.push(
        (async () => {
          const res = await fetch(`${options.url}/rooms/${options.room}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ nick: 'poster', session: `poster-session-${options.tag}-${j}`, cid, text }),
          });
          await res.arrayBuffer();
          if (res.status !== 201 && res.status !== 200) throw new Error(`post ${cid}: HTTP ${res.status}`);
        })(),
      );
    }
    await Promise.all(batch);
    await new Promise((r) => setTimeout(r, options.tickMs));
  }
  return cids;
}

export interface FleetOptions {
  /** Base URL per transport (a proxy, or the server itself). */
  urlFor: (via: Via, index: number) => string;
  room: string;
  perTransport: number;
  vias?: readonly Via[];
  /** Extra ChatClient options (backoff, heartbeat, …). */
  client?: Partial<ChatClientOptions>;
  /** Prefix of the clients' nicks, so two fleets in one room never claim the same one. Default ''. */
  nickPrefix?: string;
}

export class Fleet {
  readonly probes: Probe[] = [];

  constructor(readonly options: FleetOptions) {
    for (const via of options.vias ?? VIAS) {
      for (let i = 0; i < options.perTransport; i++) {
        const client = new ChatClient({
          servers: [options.urlFor(via, i)],
          room: options.room,
          nick: `${options.nickPrefix ?? ''}${via}-${i}`,
          via,
          cursor: { seq: 0 },
          ...options.client,
        });
        this.probes.push(new Probe(client, via, `${via}#${i}`));
      }
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.probes.map((p) => p.client.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.probes.map((p) => p.client.stop()));
  }

  /**
   * Sends `total` messages from randomly drawn members, `perTick` at a time
   * with a macrotask between ticks so the stream is live while it is sent.
   */
  async sendMixed(options: { total: number; rng: Prng; perTick?: number; tickMs?: number }): Promise<void> {
    const perTick = options.perTick ?? 20;
    for (let i = 0; i < options.total; i++) {
      options.rng.pick(this.probes).send(`m${i} ${'x'.repeat(options.rng.int(0, 80))}`);
      if ((i + 1) % perTick === 0) await new Promise((r) => setTimeout(r, options.tickMs ?? 10));
    }
  }

  acked(): number {
    let n = 0;
    for (const p of this.probes) for (const cid of p.sent) if ((p.acks.get(cid) ?? 0) > 0) n++;
    return n;
  }

  sentCount(): number {
    return this.probes.reduce((n, p) => n + p.sent.length, 0);
  }

  async waitAcked(timeoutMs: number): Promise<void> {
    const total = this.sentCount();
    await waitFor(() => this.acked() === total, {
      timeoutMs,
      intervalMs: 50,
      what: `all ${total} sends acked (have ${this.acked()})`,
    });
  }

  async waitComplete(total: number, timeoutMs: number): Promise<void> {
    await waitFor(() => this.probes.every((p) => p.seqs.length >= total), {
      timeoutMs,
      intervalMs: 50,
      what: `every client to hold ${total} messages (${this.laggards(total)})`,
    });
  }

  laggards(total: number): string {
    return this.probes
      .filter((p) => p.seqs.length < total)
      .slice(0, 5)
      .map((p) => `${p.name}=${p.seqs.length} (${p.client.state.name})`)
      .join(', ');
  }

  problems(total: number): string[] {
    return this.probes.map((p) => p.problem(total)).filter((x): x is string => x !== undefined);
  }

  /** Per transport: clients, reconnects, gaps, resets, messages checked. */
  summary(via: Via): {
    clients: number;
    reconnects: number;
    gaps: number;
    resets: number;
    checked: number;
    sent: number;
  } {
    const ps = this.probes.filter((p) => p.via === via);
    return {
      clients: ps.length,
      reconnects: ps.reduce((n, p) => n + p.reconnects, 0),
      gaps: ps.reduce((n, p) => n + p.gaps, 0),
      resets: ps.reduce((n, p) => n + p.resets, 0),
      checked: ps.reduce((n, p) => n + p.seqs.length, 0),
      sent: ps.reduce((n, p) => n + p.sent.length, 0),
    };
  }

  allSentCids(): Map<string, number> {
    const m = new Map<string, number>();
    for (const p of this.probes) for (const cid of p.sent) m.set(cid, p.acks.has(cid) ? 1 : 0);
    return m;
  }
}

/** Reads a room's whole log back over long polling, straight from the server. */
export async function readBack(baseUrl: string, room: string, token?: string): Promise<MessageEvent[]> {
  const out: MessageEvent[] = [];
  let after = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const res = await fetch(`${baseUrl}/rooms/${room}/messages?after=${after}&timeout=0&limit=1000`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`read back: HTTP ${res.status}`);
    const body = (await res.json()) as { events: { type: string }[]; next: number };
    const messages = body.events.filter((e): e is MessageEvent => e.type === 'message');
    out.push(...messages);
    if (messages.length === 0) return out;
    after = body.next;
  }
  throw new Error('read back did not end');
}

/** The first way a stored log breaks "every sent cid stored exactly once, seq 1..n", or undefined. */
export function logProblem(log: readonly MessageEvent[], sentCids: Iterable<string>): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < log.length; i++) {
    const m = log[i]!;
    if (m.seq !== i + 1) return `stored log: position ${i} holds seq ${m.seq}`;
    if (seen.has(m.cid)) return `stored log: cid ${m.cid} stored twice`;
    seen.add(m.cid);
  }
  for (const cid of sentCids) if (!seen.has(cid)) return `stored log: sent cid ${cid} missing`;
  if (seen.size !== log.length) return 'stored log: duplicate entries';
  return undefined;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
