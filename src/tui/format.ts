/**
 * Small pure helpers the components share: colours, times, mentions, numbers.
 * None of them escape; callers escape network text before display.
 */

/** Colours that read on dark and light terminals; red/green stay free for states. */
const NICK_COLORS = [
  'cyan',
  'magenta',
  'blue',
  'yellow',
  'cyanBright',
  'magentaBright',
  'blueBright',
  'greenBright',
] as const;

export type NickColor = (typeof NICK_COLORS)[number];

/** A stable colour per nick (FNV-1a hash), the same in every client. */
export function nickColor(nick: string): NickColor {
  let h = 0x811c9dc5;
  for (let i = 0; i < nick.length; i++) {
    h ^= nick.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return NICK_COLORS[(h >>> 0) % NICK_COLORS.length] ?? 'cyan';
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** HH:MM:SS in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** A latency figure: one decimal below 10 ms, whole ms above, '–' when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const v = Math.max(0, ms);
  return v < 10 ? v.toFixed(1) : String(Math.round(v));
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** A count with thousands separators: 18211 → "18,211" (the same in every locale, like the rest of the UI). */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** The prefix that marks an action (`/me waves`); see docs/tui.md. */
export const ACTION_PREFIX = '/me ';

export function isAction(text: string): boolean {
  return text.startsWith(ACTION_PREFIX);
}

export function actionText(text: string): string {
  return text.slice(ACTION_PREFIX.length);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const regexCache = new Map<string, RegExp>();

/** Matches the nick as a whole word, any case; cached because it runs per message. */
function mentionRegExp(nick: string): RegExp {
  let re = regexCache.get(nick);
  if (!re) {
    re = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(nick)}(?![\\p{L}\\p{N}_])`, 'giu');
    if (regexCache.size > 32) regexCache.clear();
    regexCache.set(nick, re);
  }
  re.lastIndex = 0;
  return re;
}

export function mentions(text: string, nick: string): boolean {
  if (nick === '') return false;
  return mentionRegExp(nick).test(text);
}

export interface Segment {
  text: string;
  mention: boolean;
  /** The part is (in) a URL shown as a link to this target (see text/hyperlinks.ts). */
  link?: string;
}

/** Splits text into plain and mention segments, for highlighting. */
export function splitMentions(text: string, nick: string): Segment[] {
  if (nick === '') return [{ text, mention: false }];
  const re = mentionRegExp(nick);
  const out: Segment[] = [];
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), mention: false });
    out.push({ text: m[0], mention: true });
    last = m.index + m[0].length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last), mention: false });
  return out;
}

/** The parts of `segments` (consecutive, covering one text) that fall in text[start, end). */
export function sliceSegments(segments: readonly Segment[], start: number, end: number): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const seg of segments) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + seg.text.length);
    if (from < to) out.push({ ...seg, text: seg.text.slice(from - at, to - at) });
    at += seg.text.length;
    if (at >= end) break;
  }
  return out;
}
