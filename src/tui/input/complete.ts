/**
 * Tab completion of the input line, as pure functions: nicks, command names
 * and room names, cycled with repeated Tab (Shift+Tab goes back), the way
 * irssi and WeeChat do it. What is completed depends on where the word under
 * the cursor stands:
 * - the first word, starting with `/`: a command name (`/jo` → `/join `);
 * - the word after `/join`, `/switch` (`/s`) or `/part`: a room name (a leading `#`
 *   is kept; `@peer` entries of the rooms source complete after `/switch`);
 * - the word after `/msg` (`/query`): a nick (`@` before it is kept);
 * - any other word: a nick; `@` before it is kept. At the start of the line
 *   the nick is followed by ": " (the chat convention for addressing), else by
 *   a space.
 * Matching is by prefix, case-insensitive after NFKC (the way the server
 * compares nicks, see nick-claims.ts), and a prefix must end on a grapheme
 * cluster boundary of the candidate, so half an emoji never matches.
 */
import { graphemes, snapBoundary } from '../text/graphemes.js';

/** Where candidates come from; each list is in the order Tab offers it, duplicates allowed (the first wins). */
export interface CompletionSources {
  /** Nicks, most relevant first (recent speakers, most recent first, then the other members). */
  nicks: readonly string[];
  /** Command names with their slash (`/join`). */
  commands: readonly string[];
  /** Room names without `#` (and `@peer` for direct messages when the client has them). */
  rooms: readonly string[];
  /** The local nick: never offered. */
  self?: string;
}

/** An open Tab cycle: what the line was, and what Tab offers in its place. */
export interface CompletionCycle {
  /** The line before the first Tab. */
  value: string;
  /** Offsets (UTF-16) of the completed word in `value`: [start, end), end being the cursor. */
  start: number;
  end: number;
  /** Replacements for value[start, end), suffix included, in offer order; never empty. */
  candidates: string[];
  /** The candidate on screen. */
  index: number;
  /** The line and cursor Tab put there: every other edit ends the cycle (the candidate is accepted). */
  shown: { value: string; cursor: number };
}

/** Commands whose argument is a room name, with their aliases (commands.ts: `/s` is `/switch`). */
const ROOM_COMMANDS = new Set(['/join', '/switch', '/s', '/part']);
/** Commands whose argument is a nick (`/query` is `/msg`). */
const NICK_COMMANDS = new Set(['/msg', '/query']);

/** The comparison key of a name: NFKC, then lower case (as nicks compare on the server). */
export function completionKey(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** True when `candidate` starts with `prefix` as whole clusters, ignoring case and compatibility forms. */
export function matchesPrefix(candidate: string, prefix: string): boolean {
  const c = completionKey(candidate);
  const p = completionKey(prefix);
  if (!c.startsWith(p)) return false;
  return snapBoundary(c, p.length) === p.length;
}

/** Command names of a help table's rows (`['/join ROOM', '…']` → `/join`); `//text` and the like are skipped. */
export function commandNames(help: ReadonlyArray<readonly [string, string]>): string[] {
  const names: string[] = [];
  for (const [usage] of help) {
    const name = usage.split(/\s/, 1)[0] ?? '';
    if (/^\/[a-z][a-z0-9-]*$/i.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

function isSpace(cluster: string): boolean {
  return /^\s$/u.test(cluster);
}

/** Start offset of the word that ends at `cursor` (after the last whitespace cluster before it). */
function wordStart(value: string, cursor: number): number {
  const before = graphemes(value.slice(0, cursor));
  let at = cursor;
  for (let i = before.length - 1; i >= 0; i--) {
    const g = before[i] ?? '';
    if (isSpace(g)) break;
    at -= g.length;
  }
  return at;
}

/** Candidates from `names` for the typed `word`, with `keep` (a `#` or `@`) put back in front. */
function pick(names: readonly string[], word: string, keep: string, suffix: string, self?: string): string[] {
  const typed = word.slice(keep.length);
  const selfKey = self === undefined ? undefined : completionKey(self);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    const key = completionKey(name);
    if (name === '' || key === selfKey || seen.has(key)) continue;
    seen.add(key);
    if (matchesPrefix(name, typed)) out.push(keep + name + suffix);
  }
  return out;
}

/**
 * What Tab can put in place of the word before the cursor, in offer order;
 * `[]` when nothing fits. `start` is where that word begins.
 */
export function completionCandidates(
  value: string,
  cursor: number,
  sources: CompletionSources,
): { start: number; candidates: string[] } {
  const start = wordStart(value, cursor);
  const word = value.slice(start, cursor);
  const head = value.slice(0, start);
  // Only the first word is a command; `//text` is a message, never one.
  if (head.trim() === '' && word.startsWith('/')) {
    return { start, candidates: head === '' ? pick(sources.commands, word, '', ' ') : [] };
  }
  const words = head.trim().split(/\s+/);
  const command = value.trimStart().startsWith('/') ? (words[0] ?? '').toLowerCase() : '';
  if (words.length === 1 && ROOM_COMMANDS.has(command)) {
    const keep = word.startsWith('#') ? '#' : '';
    return { start, candidates: pick(sources.rooms, word, keep, ' ') };
  }
  if (words.length === 1 && NICK_COMMANDS.has(command)) {
    // `/msg @bob` parses as `/msg bob`: keep the `@` the user typed.
    const keep = word.startsWith('@') ? '@' : '';
    return { start, candidates: pick(sources.nicks, word, keep, ' ', sources.self) };
  }
  if (word === '') return { start, candidates: [] };
  const keep = word.startsWith('@') ? '@' : '';
  const suffix = start === 0 && keep === '' ? ': ' : ' ';
  return { start, candidates: pick(sources.nicks, word, keep, suffix, sources.self) };
}

function show(cycle: Omit<CompletionCycle, 'shown'>): CompletionCycle {
  const candidate = cycle.candidates[cycle.index] ?? '';
  const head = cycle.value.slice(0, cycle.start) + candidate;
  return { ...cycle, shown: { value: head + cycle.value.slice(cycle.end), cursor: head.length } };
}

/**
 * One Tab (`next`) or Shift+Tab (`prev`) on the line: continues `cycle` while
 * the line is still the one it showed, else starts a new one (Shift+Tab starts
 * at the last candidate). Undefined when nothing completes; the caller keeps
 * the line as it is.
 */
export function completeStep(
  input: { value: string; cursor: number },
  cycle: CompletionCycle | undefined,
  direction: 'next' | 'prev',
  sources: CompletionSources,
): CompletionCycle | undefined {
  if (cycle !== undefined && cycle.shown.value === input.value && cycle.shown.cursor === input.cursor) {
    const n = cycle.candidates.length;
    const index = (cycle.index + (direction === 'next' ? 1 : n - 1)) % n;
    return show({ ...cycle, index });
  }
  const found = completionCandidates(input.value, input.cursor, sources);
  if (found.candidates.length === 0) return undefined;
  const { start } = found;
  // Completing inside a line that goes on with a space: no second space.
  const spaced = /^\s/.test(input.value.slice(input.cursor));
  const candidates = spaced ? found.candidates.map((c) => c.replace(/ $/, '')) : found.candidates;
  const index = direction === 'next' ? 0 : candidates.length - 1;
  return show({ value: input.value, start, end: input.cursor, candidates, index });
}
