/**
 * Publishes bench messages at a fixed rate with `POST /rooms/{room}/messages`
 * (rtchat and every peer take the same request). Sends are spread over many
 * sessions because rtchat rate-limits each session, as the protocol says.
 */
import { Pool } from 'undici';
import { makeText } from './payload.js';

export interface PublishPlan {
  url: string;
  room: string;
  /** Messages per second. */
  rate: number;
  /** Seconds. */
  duration: number;
  phase: number;
  token?: string;
}

/** Sends per second one session may use; the protocol guarantees 20. */
const PER_SESSION = 10;
const TICK_MS = 5;

export class Publisher {
  published = 0;
  acked = 0;
  readonly errors: Record<string, number> = {};
  private readonly pool: Pool;
  private readonly sessions: string[];
  private readonly total: number;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly plan: PublishPlan) {
    this.pool = new Pool(plan.url, { connections: 16, pipelining: 1 });
    const n = Math.max(4, Math.ceil(plan.rate / PER_SESSION));
    const runId = Math.random().toString(36).slice(2, 10);
    this.sessions = Array.from({ length: n }, (_, i) => `bench-${runId}-${plan.phase}-${i}`.padEnd(16, '0'));
    this.total = Math.max(1, Math.round(plan.rate * plan.duration));
    this.path = `/rooms/${plan.room}/messages`;
    this.headers = { 'content-type': 'application/json' };
    if (plan.token) this.headers.authorization = `Bearer ${plan.token}`;
  }

  /** Resolves when every publish has been answered. */
  run(): Promise<void> {
    return new Promise((resolve) => {
      const start = performance.now();
      let answered = 0;
      const done = (): void => {
        answered++;
        if (answered === this.total) {
          void this.pool.close();
          resolve();
        }
      };
      const timer = setInterval(() => {
        const due = Math.min(this.total, Math.floor(((performance.now() - start) / 1000) * this.plan.rate) + 1);
        while (this.published < due) this.publishOne(this.published++, done);
        if (this.published >= this.total) clearInterval(timer);
      }, TICK_MS);
    });
  }

  private publishOne(i: number, done: () => void): void {
    const body = JSON.stringify({
      nick: 'bench',
      session: this.sessions[i % this.sessions.length],
      cid: `b${this.plan.phase}-${i}`,
      text: makeText(this.plan.phase, performance.now()),
    });
    this.pool
      .request({ path: this.path, method: 'POST', headers: this.headers, body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode === 201 || res.statusCode === 200) this.acked++;
        else this.count(`http_${res.statusCode}`);
      })
      .catch((err: unknown) => this.count(err instanceof Error ? err.name : 'error'))
      .finally(done);
  }

  private count(key: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }
}
