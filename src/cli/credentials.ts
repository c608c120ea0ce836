/**
 * The client's credentials file: `$XDG_CONFIG_HOME/rtchat/credentials`
 * (default `~/.config/rtchat/credentials`), JSON with one token per server
 * origin, written by `rtchat login` with mode 0600 in a 0700 directory, and
 * read by every client command that is given no `--token`.
 *
 * Shape: `{"servers":{"https://chat.example:7878":{"token":"…","savedAt":1764000000000}}}`.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRecord } from '../protocol/validate.js';
import { CliError, EXIT } from './exit-codes.js';

export interface Credential {
  token: string;
  /** Wall-clock ms of the login. */
  savedAt: number;
}

/** `$XDG_CONFIG_HOME/rtchat/credentials`, else `~/.config/rtchat/credentials`. */
export function credentialsFile(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config');
  return path.join(base, 'rtchat', 'credentials');
}

/** The key of a server in the file: its origin (scheme, host and port). */
export function serverKey(server: string): string {
  return new URL(server).origin;
}

function readAll(file: string): Record<string, Credential> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return {};
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, EXIT.error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON; fix or remove it`, EXIT.error);
  }
  const servers = isRecord(parsed) && isRecord(parsed.servers) ? parsed.servers : {};
  const out: Record<string, Credential> = {};
  for (const [key, value] of Object.entries(servers)) {
    if (isRecord(value) && typeof value.token === 'string') {
      out[key] = { token: value.token, savedAt: typeof value.savedAt === 'number' ? value.savedAt : 0 };
    }
  }
  return out;
}

/** The token saved for the first of `servers` that has one. */
export function credentialFor(servers: readonly string[], file = credentialsFile()): string | undefined {
  const all = readAll(file);
  for (const server of servers) {
    const c = all[serverKey(server)];
    if (c !== undefined) return c.token;
  }
  return undefined;
}

/** Saves (or replaces) the token of one server; the file is replaced whole, never left half written. */
export function saveCredential(server: string, token: string, file = credentialsFile()): void {
  const all = readAll(file);
  all[serverKey(server)] = { token, savedAt: Date.now() };
  writeAll(file, all);
}

/** Forgets one server's token; false when there was none. */
export function removeCredential(server: string, file = credentialsFile()): boolean {
  const all = readAll(file);
  const key = serverKey(server);
  if (all[key] === undefined) return false;
  const { [key]: _forgotten, ...rest } = all;
  writeAll(file, rest);
  return true;
}

function writeAll(file: string, all: Record<string, Credential>): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  // Created 0600: the token is never readable by others, not even for a moment.
  writeFileSync(tmp, JSON.stringify({ servers: all }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
