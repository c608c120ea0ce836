/** The server child as the fault tests see it: its build, its memory, its fds. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { isBuilt, ROOT } from '../helpers/index.js';

/** `npm test` builds first; a lone `npx vitest run test/faults` may not have. */
export function ensureBuilt(): void {
  if (isBuilt()) return;
  try {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, '-p', ROOT], {
      stdio: 'ignore',
      timeout: 120_000,
    });
  } catch {
    // tsc exits non-zero on type errors elsewhere but still emits; the check below decides.
  }
  if (!isBuilt()) throw new Error('dist/cli/main.js is missing: run npm run build');
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export const MB = 1024 * 1024;

export function mb(bytes: number): string {
  return (bytes / MB).toFixed(1) + ' MB';
}

/**
 * The env for a server child: every RTCHAT_* variable removed, since the CLI
 * reads RTCHAT_<FLAG> as a flag and the fault knobs (RTCHAT_FAULT_SEED, …)
 * are no flags of `serve`.
 */
export function childEnv(): Record<string, undefined> {
  const env: Record<string, undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('RTCHAT_')) env[key] = undefined;
  return env;
}
