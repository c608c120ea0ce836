/**
 * Every test run gets a state directory of its own (RTCHAT_STATE_DIR, inherited
 * by the test workers and everything they start: the binary, tmux panes), so
 * no test reads or writes the input history or read markers of the machine's
 * user. Removed at the end of the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'rtchat-state-'));
  process.env.RTCHAT_STATE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
