/**
 * CORS for browser clients served from other origins (`--cors ORIGIN,…`):
 * preflights (`OPTIONS` with `Access-Control-Request-Method`) from a listed
 * origin get 204 with what the endpoints need (GET, POST; the
 * Authorization, Content-Type and Last-Event-ID headers), and every answer
 * to a listed origin carries `Access-Control-Allow-Origin`. Without
 * `--cors`, or for an origin not listed, no CORS header is ever sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a browser may cache a preflight, s. */
const MAX_AGE_S = 600;

export class Cors {
  private readonly origins: ReadonlySet<string>;

  /** @param origins exact origins, e.g. `https://chat.example.com` (scheme, host, port; no path). */
  constructor(origins: readonly string[]) {
    this.origins = new Set(origins);
  }

  /** Sets the CORS headers a listed origin gets; answers a preflight and returns true when it did. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || !this.origins.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) {
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      return false;
    }
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
      'Access-Control-Max-Age': String(MAX_AGE_S),
      'Content-Length': '0',
    });
    res.end();
    return true;
  }
}

/** Parses `--cors`: a comma-separated list of origins; throws a one-line Error for anything else. */
export function parseCorsOrigins(value: string): string[] {
  const out: string[] = [];
  for (const part of value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new Error(`not an origin: ${part}`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== part.replace(/\/$/, '')) {
      throw new Error(`not an origin (scheme://host[:port]): ${part}`);
    }
    out.push(url.origin);
  }
  return out;
}
