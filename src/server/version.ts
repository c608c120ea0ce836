import { readFileSync } from 'node:fs';

/**
 * The package version, read once. The path works from both `src/server`
 * (vitest) and `dist/server` (the built binary): both sit two levels below
 * the package root.
 */
function readVersion(): string {
  try {
    const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string') {
      return raw.version;
    }
  } catch {
    // A missing package.json only costs the version string.
  }
  return '0.0.0';
}

export const SERVER_VERSION = readVersion();
/** What `hello.server` carries. */
export const SERVER_NAME = `rtchat/${SERVER_VERSION}`;
