/**
 * Where the client keeps what must outlive one run on this machine: read
 * markers when the server has no accounts, and the input history.
 * `$RTCHAT_STATE_DIR`, else `$XDG_STATE_HOME/rtchat`, else `~/.local/state/rtchat`
 * (the XDG base-directory rule: state, not configuration and not cache).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

function absolute(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' && path.isAbsolute(value) ? value : undefined;
}

/**
 * The state directory (not created here). A relative `$RTCHAT_STATE_DIR` is
 * taken from the working directory: the user named a directory on purpose,
 * and dropping it would write to the home instead. A relative
 * `$XDG_STATE_HOME` is ignored, as the XDG specification says.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.RTCHAT_STATE_DIR;
  if (own !== undefined && own !== '') return path.resolve(own);
  const xdg = absolute(env.XDG_STATE_HOME);
  return path.join(xdg ?? path.join(os.homedir(), '.local', 'state'), 'rtchat');
}

/**
 * Writes a file in one step (a temporary file, then rename), creating the
 * directory (mode 0700: the files say what the user reads) when needed, so a
 * crash or a second client never leaves half a file.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(temp, data, { mode: 0o600 });
  await rename(temp, file);
}
