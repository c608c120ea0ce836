/**
 * The bench message text and its cheap parse. The text carries the phase and
 * the generator's monotonic send time; subscribers scan for it with indexOf
 * instead of JSON.parse so the generator stays lighter than the server.
 */

const PREFIX = 'bench:';
// Chat-sized: a real line of chat is tens of characters, not two.
const PAD = ' the quick brown fox jumps over the lazy dog';

/** `bench:<phase>:<ms>` followed by padding; `ms` is `performance.now()` of the generator. */
export function makeText(phase: number, sentAt: number): string {
  return `${PREFIX}${phase}:${sentAt.toFixed(3)}${PAD}`;
}

/** Reused result of `scanMessage`, so a delivery allocates nothing here. */
export interface Scan {
  seq: number;
  phase: number;
  sentAt: number;
}

const SEQ_KEY = '"seq":';
const TEXT_KEY = `"text":"${PREFIX}`;

/**
 * Reads seq, phase and send time out of a serialized message event (bare, or
 * inside a Socket.IO packet). False when `s` is not a bench message.
 */
export function scanMessage(s: string, out: Scan): boolean {
  const t = s.indexOf(TEXT_KEY);
  if (t < 0) return false;
  const q = s.indexOf(SEQ_KEY);
  if (q < 0) return false;
  out.seq = readInt(s, q + SEQ_KEY.length);
  let i = t + TEXT_KEY.length;
  const colon = s.indexOf(':', i);
  out.phase = readInt(s, i);
  i = colon + 1;
  const end = s.indexOf(' ', i);
  out.sentAt = Number(s.slice(i, end));
  return out.seq > 0 && Number.isFinite(out.sentAt);
}

function readInt(s: string, from: number): number {
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return n;
}

/** Reads phase and send time from a parsed event's text; false when not a bench message. */
export function scanText(seq: number, text: string, out: Scan): boolean {
  if (!text.startsWith(PREFIX)) return false;
  const colon = text.indexOf(':', PREFIX.length);
  out.seq = seq;
  out.phase = readInt(text, PREFIX.length);
  out.sentAt = Number(text.slice(colon + 1, text.indexOf(' ', colon)));
  return Number.isFinite(out.sentAt);
}
