/**
 * The soak's broadcast: `messages` POSTs, one every `intervalMs` on a fixed
 * schedule (a slow answer does not delay the next), round-robin over the
 * nodes. Each text carries its send time. A failed POST is retried with the
 * same body and cid (idempotent by protocol) a few times.
 */
import { randomBytes } from 'node:crypto';
import { soakText, wallNow } from './soak-conn.js';

export interface BroadcastPlan {
  servers: string[];
  room: string;
  messages: number;
  intervalMs: number;
}

export interface BroadcastResult {
  acked: number;
  /** Failed attempts by `http-<status>` or error name. */
  errors: Record<string, number>;
  /** Wall-clock ms when the last message was first sent. */
  lastSentAt: number;
}

/** Sends per second one announcer session may use; the protocol guarantees 20. */
const PER_SESSION = 10;
const ATTEMPTS = 5;
const RETRY_MS = 500;
const POST_TIMEOUT_MS = 10_000;

export async function broadcast(plan: BroadcastPlan): Promise<BroadcastResult> {
  const run = randomBytes(4).toString('hex');
  const sessionCount = Math.max(1, Math.ceil(1000 / plan.intervalMs / PER_SESSION));
  const sessions = Array.from({ length: sessionCount }, (_, k) => `soak-announcer-${run}-${k}`);
  const result: BroadcastResult = { acked: 0, errors: {}, lastSentAt: 0 };
  const fail = (key: string): void => {
    result.errors[key] = (result.errors[key] ?? 0) + 1;
  };
  const post = async (i: number): Promise<void> => {
    const sentAt = wallNow();
    result.lastSentAt = Math.max(result.lastSentAt, sentAt);
    const server = plan.servers[i % plan.servers.length] ?? '';
    const body = JSON.stringify({
      nick: 'announcer',
      session: sessions[i % sessions.length],
      cid: `soak-${run}-${i}`,
      text: soakText(i, sentAt),
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const res = await fetch(`${server}/rooms/${plan.room}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(POST_TIMEOUT_MS),
        });
        await res.arrayBuffer();
        if (res.status === 201 || res.status === 200) {
          result.acked++;
          return;
        }
        fail(`http-${res.status}`);
      } catch (err) {
        fail(err instanceof Error ? err.name : 'error');
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  };
  const start = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < plan.messages; i++) {
    const wait = start + i * plan.intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(post(i));
  }
  await Promise.all(posts);
  return result;
}
