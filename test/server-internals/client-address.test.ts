import { describe, expect, it } from 'vitest';
import { ClientAddresses, normalizeIp, parseTrustList, TrustProxyError } from '../../src/server/http/client-address.js';

const xff = (trust: string): ClientAddresses => new ClientAddresses({ trustProxy: parseTrustList(trust) });
const fwd = (trust: string): ClientAddresses =>
  new ClientAddresses({ trustProxy: parseTrustList(trust), header: 'forwarded' });

describe('parseTrustList', () => {
  it('takes addresses and CIDR ranges, IPv4 and IPv6, separated by commas or spaces', () => {
    const list = parseTrustList('127.0.0.1, 10.0.0.0/8 ::1,fd00::/8');
    expect(list).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(parseTrustList('')).toEqual([]);
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8x', 'fd00::/129', '1.2.3', '10.0.0.1:80'])(
    'refuses %s with a stable code',
    (entry) => {
      let err: unknown;
      try {
        parseTrustList(`127.0.0.1,${entry}`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TrustProxyError);
      expect((err as TrustProxyError).code).toBe('invalid_trust_proxy');
      expect((err as TrustProxyError).message).toContain(entry);
    },
  );
});

describe('normalizeIp', () => {
  it('turns IPv4-mapped IPv6 into IPv4 and IPv6 into its canonical form', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(normalizeIp('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeIp('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('X-Forwarded-For', () => {
  it('without trusted proxies the TCP peer is the client, whatever the header says', () => {
    const none = new ClientAddresses();
    expect(none.resolveFrom('192.0.2.9', '203.0.113.1')).toBe('192.0.2.9');
    expect(none.resolveFrom('::ffff:192.0.2.9', undefined)).toBe('192.0.2.9');
    expect(none.resolveFrom(undefined, undefined)).toBe('unknown');
  });

  it('ignores the header when the peer is not trusted (a client cannot claim another address)', () => {
    expect(xff('10.0.0.0/8').resolveFrom('192.0.2.9', '203.0.113.1')).toBe('192.0.2.9');
  });

  it('takes the right-most untrusted hop when the peer is trusted', () => {
    const r = xff('10.0.0.0/8,127.0.0.1');
    expect(r.resolveFrom('127.0.0.1', '203.0.113.1')).toBe('203.0.113.1');
    // A client-sent first entry is left of the one our proxies appended: it is never reached.
    expect(r.resolveFrom('127.0.0.1', '1.1.1.1, 203.0.113.1')).toBe('203.0.113.1');
    // Several trusted proxies in a row are skipped.
    expect(r.resolveFrom('10.0.0.2', '1.1.1.1, 203.0.113.1, 10.0.0.7,10.0.0.8')).toBe('203.0.113.1');
    // Several header lines are one list.
    expect(r.resolveFrom('10.0.0.2', '1.1.1.1, 203.0.113.1,10.0.0.7')).toBe('203.0.113.1');
  });

  it('gives the left-most hop when every hop is trusted, and the peer when the header is empty', () => {
    const r = xff('10.0.0.0/8');
    expect(r.resolveFrom('10.0.0.1', '10.0.0.5, 10.0.0.6')).toBe('10.0.0.5');
    expect(r.resolveFrom('10.0.0.1', '')).toBe('10.0.0.1');
    expect(r.resolveFrom('10.0.0.1', undefined)).toBe('10.0.0.1');
  });

  it('stops at a hop that is not an address: the proxy that passed it is the client', () => {
    const r = xff('10.0.0.0/8');
    expect(r.resolveFrom('10.0.0.1', '203.0.113.1, unknown')).toBe('10.0.0.1');
    expect(r.resolveFrom('10.0.0.1', 'x, 10.0.0.4')).toBe('10.0.0.4');
    expect(r.resolveFrom('10.0.0.1', '<script>')).toBe('10.0.0.1');
  });

  it('reads ports, brackets and IPv6, and matches IPv4-mapped peers and hops against IPv4 entries', () => {
    const r = xff('127.0.0.1,fd00::/8');
    expect(r.resolveFrom('::ffff:127.0.0.1', '203.0.113.1:5555')).toBe('203.0.113.1');
    expect(r.resolveFrom('fd00::1', '[2001:DB8::1]:5555')).toBe('2001:db8::1');
    expect(r.resolveFrom('fd00::1', '2001:db8::1, fd12::3')).toBe('2001:db8::1');
    expect(r.resolveFrom('127.0.0.1', '::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(r.resolveFrom('127.0.0.1', '::ffff:127.0.0.1, 203.0.113.1')).toBe('203.0.113.1');
  });
});

describe('Forwarded (RFC 7239)', () => {
  it('takes the right-most untrusted for= value, quoted or not, with ports and brackets', () => {
    const r = fwd('10.0.0.0/8');
    expect(r.resolveFrom('10.0.0.1', 'for=192.0.2.60;proto=http;by=203.0.113.43')).toBe('192.0.2.60');
    const chain = 'for=1.1.1.1, for="[2001:db8:cafe::17]:4711", for=10.0.0.3';
    expect(r.resolveFrom('10.0.0.1', chain)).toBe('2001:db8:cafe::17');
    expect(r.resolveFrom('10.0.0.1', 'For="192.0.2.43:47011";proto=https')).toBe('192.0.2.43');
  });

  it('stops at an obfuscated or unknown node, or an element without for=', () => {
    const r = fwd('10.0.0.0/8');
    expect(r.resolveFrom('10.0.0.1', 'for=192.0.2.60, for="_hidden"')).toBe('10.0.0.1');
    expect(r.resolveFrom('10.0.0.1', 'for=192.0.2.60, for=unknown, for=10.0.0.9')).toBe('10.0.0.9');
    expect(r.resolveFrom('10.0.0.1', 'for=192.0.2.60, proto=https')).toBe('10.0.0.1');
  });

  it('keeps quoted commas and semicolons inside their value', () => {
    const r = fwd('10.0.0.0/8');
    expect(r.resolveFrom('10.0.0.1', 'for="_a,b;c", for=198.51.100.1')).toBe('198.51.100.1');
  });

  it('is ignored from an untrusted peer', () => {
    const r = fwd('10.0.0.0/8');
    expect(r.resolveFrom('192.0.2.9', 'for=203.0.113.1')).toBe('192.0.2.9');
  });
});
