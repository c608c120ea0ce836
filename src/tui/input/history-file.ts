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
 * that); readers never see half a file. The rename only goes ahead if the
 * file did not grow since it was read (else the cut starts over), so a line
 * another client appends meanwhile is kept; only one appended in the
 * microseconds between that check and the rename could be lost. Nothing is
 * ever torn or corrupted.
 *
 * Lines that carry secrets are never written: account tokens (`rtc1.…`),
 * JWTs, the argument of `/login`-like commands, and any line typed with a
 * leading space (the shell's `ignorespace` habit, to keep one line out).
 */
import { appendFile, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '../../client/state-dir.js';
import { HISTORY_MAX } from '../state/input-reducer.js';

/** Tries at cutting the file back while other clients keep appending to it. */
const CUT_ATTEMPTS = 5;

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
    const lines = parseHistory(text).slice(-this.max);
    this.last = lines[lines.length - 1];
    await this.cutBack(text);
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

  /** Resolves once every line added so far is written (or failed): before the process exits. */
  flush(): Promise<void> {
    return this.queue;
  }

  private async append(line: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, JSON.stringify(line) + '\n', { mode: 0o600 });
    if (++this.appended < this.max) return;
    this.appended = 0;
    await this.cutBack(await readFile(this.file, 'utf8'));
  }

  /**
   * Rewrites the file as its newest `max` lines when `text` (its content as
   * just read) holds more: a temporary file, then rename, but only while the
   * file is still as long as `text` (another client appended: read again).
   * A temporary file of its own, as in state-dir.ts's writeFileAtomic, which
   * has no such check.
   */
  private async cutBack(text: string): Promise<void> {
    let current = text;
    for (let attempt = 0; attempt < CUT_ATTEMPTS; attempt++) {
      const lines = parseHistory(current);
      if (lines.length <= this.max) return;
      const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      await writeFile(temp, encode(lines.slice(-this.max)), { mode: 0o600 });
      if ((await stat(this.file)).size === Buffer.byteLength(current)) {
        await rename(temp, this.file);
        return;
      }
      await unlink(temp);
      current = await readFile(this.file, 'utf8');
    }
    // Others keep writing: the next cut (at the next start, or after `max` more lines) tries again.
  }
}
