/**
 * The client address of a request, resolved once where the request enters
 * (the router, the WebSocket upgrade) and used by everything that counts per
 * address: anonymous send budgets, `--max-connections-per-ip`, the anonymous
 * long-poll member key and the refusal logs.
 *
 * Without trusted proxies (the default) the client is the TCP peer, and
 * forwarding headers are ignored. With them, and only when the TCP peer is one
 * of them, the address comes from the header the proxies set: its hops are
 * walked from the right (the hop the nearest proxy added) past every trusted
 * proxy, and the first untrusted hop is the client. A client that sends the
 * header itself, from outside the list, gains nothing: its peer address is
 * used. A chain of trusted hops only resolves to its left-most hop.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4 } from 'node:net';

/** Which header the trusted proxies set: `X-Forwarded-For` or RFC 7239 `Forwarded` (`for=`). */
export type ForwardedHeader = 'x-forwarded-for' | 'forwarded';
export const FORWARDED_HEADERS: readonly ForwardedHeader[] = ['x-forwarded-for', 'forwarded'];

/** A `--trust-proxy` entry that is neither an IP address nor a CIDR range. */
export class TrustProxyError extends Error {
  readonly code = 'invalid_trust_proxy';
  constructor(entry: string) {
    super(`not an IP address or CIDR range: '${entry}'`);
    this.name = 'TrustProxyError';
  }
}

export interface ClientAddressOptions {
  /** Addresses and CIDR ranges of the proxies in front (IPv4, IPv6). Default none: the TCP peer is the client. */
  trustProxy?: readonly string[];
  /** The header those proxies set. Default 'x-forwarded-for'. */
  header?: ForwardedHeader;
}

/**
 * Splits `ADDR[,ADDR|CIDR…]` (commas or spaces) into entries, checking each.
 * Throws TrustProxyError on the first bad one; '' gives [].
 */
export function parseTrustList(text: string): string[] {
  const entries = text.split(/[\s,]+/).filter((e) => e !== '');
  const check = new BlockList();
  for (const e of entries) addEntry(check, e);
  return entries;
}

function addEntry(list: BlockList, entry: string): void {
  const slash = entry.indexOf('/');
  const ip = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(ip);
  if (family === 0) throw new TrustProxyError(entry);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) {
    list.addAddress(ip, type);
    return;
  }
  const bits = entry.slice(slash + 1);
  const prefix = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new TrustProxyError(entry);
  list.addSubnet(ip, prefix, type);
}

export class ClientAddresses {
  private readonly trusted: BlockList | undefined;
  private readonly header: ForwardedHeader;

  constructor(options: ClientAddressOptions = {}) {
    const entries = options.trustProxy ?? [];
    if (entries.length > 0) {
      const list = new BlockList();
      for (const e of entries) addEntry(list, e);
      this.trusted = list;
    }
    this.header = options.header ?? 'x-forwarded-for';
  }

  /** The client address of `req` (normalized: IPv4-mapped IPv6 becomes IPv4); 'unknown' without a peer. */
  resolve(req: IncomingMessage): string {
    const raw = req.headers[this.header];
    return this.resolveFrom(req.socket.remoteAddress, Array.isArray(raw) ? raw.join(',') : raw);
  }

  /** The same from the TCP peer and the header's value (several header lines joined by commas). */
  resolveFrom(peerAddress: string | undefined, headerValue: string | undefined): string {
    const peer = peerAddress === undefined ? 'unknown' : normalizeIp(peerAddress);
    if (this.trusted === undefined || headerValue === undefined || !this.isTrusted(peer)) return peer;
    const hops = this.header === 'forwarded' ? forwardedFor(headerValue) : headerValue.split(',');
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hopAddress(hops[i]!);
      // Not an address ('unknown', an obfuscated `_id`, garbage): the proxy that passed it is as far as we can see.
      if (hop === undefined) return client;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
    }
    return client;
  }

  private isTrusted(ip: string): boolean {
    const family = isIP(ip);
    return family !== 0 && this.trusted!.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * One hop as written by a proxy: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
 * `[2001:db8::1]` or `[2001:db8::1]:5678`, optionally quoted. Undefined when
 * it is not an IP address.
 */
function hopAddress(text: string): string | undefined {
  let s = text.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return undefined;
    const rest = s.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    s = s.slice(1, end);
  } else {
    const colon = s.indexOf(':');
    if (colon >= 0 && colon === s.lastIndexOf(':') && /^:\d{1,5}$/.test(s.slice(colon))) s = s.slice(0, colon);
  }
  return isIP(s) === 0 ? undefined : normalizeIp(s);
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; IPv6 in its canonical (compressed, lower-case) form. */
export function normalizeIp(ip: string): string {
  const family = isIP(ip);
  if (family !== 6) return ip;
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  try {
    const host = new URL(`http://[${lower}]/`).hostname;
    const canonical = host.slice(1, -1);
    return canonical.startsWith('::ffff:') ? (ipv4FromMapped(canonical) ?? canonical) : canonical;
  } catch {
    // A zone id (`fe80::1%eth0`) is valid for isIP but not for URL: keep it as it is.
    return lower;
  }
}

/** `::ffff:7f00:1` (URL's form of a mapped address) → `127.0.0.1`. */
function ipv4FromMapped(canonical: string): string | undefined {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (m === null) return undefined;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * The `for=` values of a `Forwarded` header, one per element, left to right;
 * an element without `for=` gives '' (not an address). Quoted strings may hold
 * commas and semicolons.
 */
function forwardedFor(value: string): string[] {
  const out: string[] = [];
  let forValue = '';
  let pair = '';
  let quoted = false;
  const endPair = (): void => {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === 'for') forValue = pair.slice(eq + 1).trim();
    pair = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) pair += value[++i] ?? '';
      else {
        if (c === '"') quoted = false;
        pair += c;
      }
    } else if (c === '"') {
      quoted = true;
      pair += c;
    } else if (c === ';') endPair();
    else if (c === ',') {
      endPair();
      out.push(forValue);
      forValue = '';
    } else pair += c;
  }
  endPair();
  out.push(forValue);
  return out;
}
