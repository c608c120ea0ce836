/**
 * The input history on disk, so that Up recalls lines from earlier runs:
 * `<stateDir>/history` (see src/client/state-dir.ts), one JSON string per
 * line, oldest first, the newest HISTORY_MAX kept.
 *
 * Several clients may run at once. Each submitted line is appended with one
 * `write` in append mode (O_APPEND: the kernel places every write at the end,
 * so lines of two clients interleave whole and are never torn on a local
 * file system). The file is cut back to the newest HISTORY_MAX lines by an
 * atomic rewrite (temporary file + rename) at start, and again after every
 * HISTORY_MAX lines one client appends (so it never holds more than twice
 * that); readers never see half a file. A line another client appends between that
 * read and the rename can be lost; nothing is ever corrupted.
 *
 * Lines that carry secrets are never written: account tokens (`rtc1.…`),
 * JWTs, the argument of `/login`-like commands, and any line typed with a
 * leading space (the shell's `ignorespace` habit, to keep one line out).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir, writeFileAtomic } from '../../client/state-dir.js';
import { HISTORY_MAX } from '../state/input-reducer.js';

/** Name of the file in the state directory. */
export const HISTORY_FILE = 'history';

/** `<stateDir>/history` for this environment. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), HISTORY_FILE);
}

/** An account token (`rtc1.<name>.<secret>`) or a JWT (three base64url parts, the first `eyJ`: `{"`). */
const SECRET_RE = /(?:^|[^A-Za-z0-9])(?:rtc1\.[^\s.]+\.\S+|eyJ[\w-]*\.[\w-]+\.[\w-]+)/;
/** Commands whose argument is a password or a token, in rtchat or in the chat clients people come from. */
const SECRET_COMMAND_RE = /^\/(?:login|token|auth|pass|password|oper|identify|register)(?:\s|$)/i;

/** True when `typed` (the line as typed, before trimming) may be written to the history file. */
export function storable(typed: string): boolean {
  const line = typed.trim();
  if (line === '' || /^\s/.test(typed)) return false;
  return !SECRET_RE.test(line) && !SECRET_COMMAND_RE.test(line);
}

/** The lines of a history file's text; lines that are not a JSON string (a foreign or damaged line) are skipped. */
export function parseHistory(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string' && value !== '') out.push(value);
    } catch {
      // A line cut by a full disk, or written by hand: the others still count.
    }
  }
  return out;
}

function encode(lines: readonly string[]): string {
  return lines.map((l) => JSON.stringify(l) + '\n').join('');
}

export interface HistoryFileOptions {
  /** The file; default `historyPath()`. */
  file?: string;
  /** Lines kept; default HISTORY_MAX (1000). */
  max?: number;
}

/**
 * One client's handle on the history file. `load` once at start, then `add`
 * every submitted line. Errors (a read-only home, a full disk) reject; the
 * caller decides whether to say so. Without the file the history starts empty.
 */
export class HistoryFile {
  readonly file: string;
  readonly max: number;
  /** The newest line this client knows of in the file (no line is written twice in a row). */
  private last: string | undefined;
  /** Lines appended since the file was last cut back. */
  private appended = 0;
  /** Writes in order: one at a time, so lines of this client stay in the order typed. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: HistoryFileOptions = {}) {
    this.file = options.file ?? historyPath();
    this.max = Math.max(1, options.max ?? HISTORY_MAX);
  }

  /** The newest `max` lines, oldest first; cuts the file back to them when it holds more. */
  async load(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const all = parseHistory(text);
    const lines = all.slice(-this.max);
    this.last = lines[lines.length - 1];
    if (all.length > this.max) await writeFileAtomic(this.file, encode(lines));
    return lines;
  }

  /**
   * Appends the line (trimmed) unless it must not be stored (see `storable`)
   * or repeats the previous one. Resolves once written.
   */
  add(typed: string): Promise<void> {
    if (!storable(typed)) return this.queue;
    const line = typed.trim();
    if (line === this.last) return this.queue;
    this.last = line;
    const next = this.queue.then(() => this.append(line));
    // A failed write does not stop the ones after it; its caller hears of it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async append(line: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, JSON.stringify(line) + '\n', { mode: 0o600 });
    if (++this.appended < this.max) return;
    this.appended = 0;
    const lines = parseHistory(await readFile(this.file, 'utf8'));
    if (lines.length > this.max) await writeFileAtomic(this.file, encode(lines.slice(-this.max)));
  }
}
