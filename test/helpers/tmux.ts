/**
 * A real terminal for the TUI tests: a tmux server of our own (a unique
 * socket name, so killing it ends only it), panes running `rtchat join`, and
 * what a user sees: the screen, the scrollback, the colours.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, ROOT } from './spawn.js';
import { makeTempDir, removeDir } from './tmp-dir.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** Bounds waits on a pane; generous, as CI machines are slow and shared. */
export const PANE_WAIT_MS = 30_000;

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Builds dist/ when a fresh checkout has none (`npm test` builds first); true when the binary can run. */
export function ensureBuilt(): boolean {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(join(ROOT, 'dist', 'tui', 'run.js'))) {
    try {
      execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'ignore' });
    } catch {
      // tsc emits despite type errors; the existence check decides.
    }
  }
  return existsSync(join(ROOT, 'dist', 'tui', 'run.js'));
}

export interface JoinPane {
  url: string;
  via: string;
  nick: string;
  /** More `rtchat join` arguments. */
  args?: string[];
  /** Environment for the client, e.g. { NO_COLOR: '1' }. */
  env?: Record<string, string>;
}

/** The pane runs the client, then says how it ended and stays open for capture. */
export function joinCommand(p: JoinPane): string {
  const cmd = [process.execPath, BIN, 'join', '--server', p.url, '--via', p.via, '--nick', p.nick, ...(p.args ?? [])];
  const env = Object.entries(p.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  // Ink prints nothing live when it believes it runs in CI; this is a real terminal.
  const line = [...env, ...cmd.map(shellQuote)].join(' ');
  return `env -u CI -u CONTINUOUS_INTEGRATION ${line}; echo "EXITED $?"; sleep 600`;
}

export interface CaptureOptions {
  /** Include the scrollback (the terminal's whole history), not only the screen. */
  history?: boolean;
  /** Keep colour and style escapes (SGR). */
  escapes?: boolean;
}

export class Tmux {
  readonly socket = `rtchat-tui-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private started = false;
  private tmp: string | undefined;

  async cmd(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, ...args]);
    return stdout;
  }

  /** A new session `name` of `columns` × `rows` running `command`; its first pane is `${name}:0`. */
  async session(name: string, columns: number, rows: number, command: string): Promise<string> {
    await this.cmd('new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', name, command);
    this.started = true;
    return `${name}:0`;
  }

  capture(pane: string, o: CaptureOptions = {}): Promise<string> {
    return this.cmd('capture-pane', '-p', '-t', pane, ...(o.history ? ['-S', '-'] : []), ...(o.escapes ? ['-e'] : []));
  }

  /** Waits until the screen (or the history) of `pane` satisfies `pred`; the failure shows the pane. */
  async until(pane: string, pred: (screen: string) => boolean, what: string, o: CaptureOptions = {}): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        async () => {
          last = await this.capture(pane, o);
          return pred(last) ? last : undefined;
        },
        { timeoutMs: PANE_WAIT_MS, intervalMs: 100, what: `${what} in pane ${pane}` },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- pane ${pane} ---\n${last}`);
    }
  }

  /** Types `text` literally, then presses Enter when asked. */
  async type(pane: string, text: string, enter = false): Promise<void> {
    if (text !== '') await this.cmd('send-keys', '-t', pane, '-l', text);
    if (enter) await this.cmd('send-keys', '-t', pane, 'Enter');
  }

  /** Presses keys by tmux name: 'Enter', 'Escape', 'PageUp', 'C-c', … */
  async keys(pane: string, ...names: string[]): Promise<void> {
    await this.cmd('send-keys', '-t', pane, ...names);
  }

  /** Pastes `text` the way a terminal does: bracketed when the application asked for it. */
  async paste(pane: string, text: string): Promise<void> {
    this.tmp ??= await makeTempDir('tmux-paste-');
    const file = join(this.tmp, 'buffer.txt');
    writeFileSync(file, text);
    await this.cmd('load-buffer', '-b', 'paste', file);
    await this.cmd('paste-buffer', '-p', '-d', '-b', 'paste', '-t', pane);
  }

  async resize(pane: string, columns: number, rows?: number): Promise<void> {
    const height = rows === undefined ? [] : ['-y', String(rows)];
    await this.cmd('resize-window', '-t', pane, '-x', String(columns), ...height);
  }

  async close(): Promise<void> {
    if (this.started) {
      await this.cmd('kill-server').catch(() => undefined);
      // tmux leaves its socket file behind; it is ours alone, by its unique name.
      const uid = process.getuid?.() ?? 0;
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, this.socket), { force: true });
    }
    if (this.tmp !== undefined) await removeDir(this.tmp);
  }
}

/** How many times `needle` occurs in `hay`. */
export function occurrences(hay: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return hay.split(needle).length - 1;
  const flags = needle.flags.includes('g') ? needle.flags : needle.flags + 'g';
  return [...hay.matchAll(new RegExp(needle.source, flags))].length;
}
