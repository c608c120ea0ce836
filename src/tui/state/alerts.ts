/**
 * When the client rings the bell or raises a desktop notification, and the
 * bytes it writes for them. Pure, so every rule is tested without a terminal.
 *
 * The bell (BEL, 0x07) is written by the client itself, never copied from
 * the network: message text reaches the screen only through escapeTerminal,
 * which shows a BEL in a text as the four characters `\x07`.
 */
import type { BellMode } from './types.js';

export const BEL = '\x07';

/** What the bell decision needs to know about one received message. */
export interface AlertCandidate {
  seq: number;
  own: boolean;
  /** The text names the local nick. */
  mention: boolean;
  /** It arrived in a DM room. */
  dm: boolean;
}

/** The room's position as far as alerts go. */
export interface AlertPosition {
  /** The read marker: the last seq read. */
  readSeq: number;
  /** The highest seq already considered for an alert. */
  alertedSeq: number;
}

/** A message calls for the user: it names them, or it came in a DM. Own messages never do. */
export function callsForUser(m: AlertCandidate): boolean {
  return !m.own && (m.mention || m.dm);
}

/**
 * Whether this message may ring at all: not one's own, and never a message at
 * or below the read marker (read already, here or on another machine) or one
 * already considered (a seq rings at most once).
 */
export function isFresh(m: AlertCandidate, at: AlertPosition): boolean {
  return !m.own && m.seq > at.readSeq && m.seq > at.alertedSeq;
}

/** Whether the bell rings for this message under `mode`. */
export function rings(mode: BellMode, m: AlertCandidate, at: AlertPosition): boolean {
  if (mode === 'off' || !isFresh(m, at)) return false;
  return mode === 'all' || callsForUser(m);
}

/** Whether a desktop notification is raised (when /notify is on): mentions and DMs only. */
export function notifies(enabled: boolean, m: AlertCandidate, at: AlertPosition): boolean {
  return enabled && isFresh(m, at) && callsForUser(m);
}

/** Characters a notification title or body may hold: no control, format-breaking or bidi characters. */
// eslint-disable-next-line no-control-regex -- these are exactly what must go
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Longest title or body sent, in code points; terminals show a line or two anyway. */
export const NOTIFY_MAX = 160;

/**
 * Network text made safe inside an OSC string: control characters (ESC, BEL,
 * ST …) and bidi controls become spaces, so the text cannot end the sequence
 * and start another; `;` in a title becomes `,` (OSC 777 separates fields by
 * `;`); the result is cut to NOTIFY_MAX code points.
 */
export function sanitizeNotification(text: string, field: 'title' | 'body'): string {
  let clean = text.replace(UNSAFE, ' ');
  if (field === 'title') clean = clean.replace(/;/g, ',');
  const points = Array.from(clean.trim());
  return points.length > NOTIFY_MAX ? `${points.slice(0, NOTIFY_MAX - 1).join('')}…` : points.join('');
}

/**
 * The escapes for one desktop notification: OSC 777 (urxvt, VTE terminals
 * such as GNOME Terminal, foot, WezTerm) with a title and a body, then OSC 9
 * (iTerm2, Windows Terminal, kitty, ConEmu) with the body. A terminal ignores
 * an OSC it does not know. Title and body must come from sanitizeNotification.
 */
export function notificationEscapes(title: string, body: string): string {
  return `\x1b]777;notify;${title};${body}\x07\x1b]9;${title}: ${body}\x07`;
}
