import { CliError, EXIT } from './exit-codes.js';

/**
 * Parses `--server`: one base URL or a comma-separated list tried in order.
 * A bare `host:port` means http. Trailing slashes go, so paths can be appended.
 */
export function parseServers(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const raw = part.trim();
    if (raw === '') continue;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new CliError(`--server: not a URL: ${raw}`, EXIT.usage);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`--server: only http and https URLs are supported: ${raw}`, EXIT.usage);
    }
    out.push(url.href.replace(/\/+$/, ''));
  }
  if (out.length === 0) throw new CliError('--server: no server given', EXIT.usage);
  return out;
}
