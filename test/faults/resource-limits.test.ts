import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/index.js';
import { ResourceLimits } from '../../src/server/resource-limits.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProtocolError ? err.code : 'not a ProtocolError';
  }
}

describe('ResourceLimits', () => {
  it('refuses past the overall bound with 503 unavailable and frees slots on release', () => {
    const l = new ResourceLimits({ maxConnections: 2 });
    const a = l.acquireConnection('1.1.1.1');
    l.acquireConnection('2.2.2.2');
    expect(codeOf(() => l.acquireConnection('3.3.3.3'))).toBe('unavailable');
    a();
    a(); // idempotent: a second release must not free a second slot
    expect(l.connections).toBe(1);
    l.acquireConnection('3.3.3.3');
    expect(codeOf(() => l.acquireConnection('4.4.4.4'))).toBe('unavailable');
  });

  it('refuses past the per-IP bound with 429 too_many, other addresses unaffected', () => {
    const l = new ResourceLimits({ maxConnectionsPerIp: 2 });
    const r1 = l.acquireConnection('10.0.0.1');
    l.acquireConnection('10.0.0.1');
    let err: unknown;
    try {
      l.acquireConnection('10.0.0.1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('too_many');
    expect((err as ProtocolError).status).toBe(429);
    expect((err as ProtocolError).retryAfterMs).toBeGreaterThan(0);
    l.acquireConnection('10.0.0.2');
    r1();
    expect(l.connectionsOf('10.0.0.1')).toBe(1);
    l.acquireConnection('10.0.0.1');
  });

  it('bounds held polls per session; they count as connections; anonymous polls only as connections', () => {
    const l = new ResourceLimits({ maxPollsPerSession: 2, maxConnections: 4 });
    const p1 = l.acquirePoll('sess-aaaaaaaaaaaaaaaa', '1.1.1.1');
    l.acquirePoll('sess-aaaaaaaaaaaaaaaa', '1.1.1.1');
    expect(codeOf(() => l.acquirePoll('sess-aaaaaaaaaaaaaaaa', '1.1.1.1'))).toBe('too_many');
    expect(l.connections).toBe(2);
    // Anonymous readers behind one address are not one session.
    l.acquirePoll(undefined, '1.1.1.1');
    l.acquirePoll(undefined, '1.1.1.1');
    expect(l.connections).toBe(4);
    // Full overall now: a refused poll must not leak its session slot.
    expect(codeOf(() => l.acquirePoll('sess-bbbbbbbbbbbbbbbb', '1.1.1.1'))).toBe('unavailable');
    expect(l.pollsOf('sess-bbbbbbbbbbbbbbbb')).toBe(0);
    p1();
    expect(l.pollsOf('sess-aaaaaaaaaaaaaaaa')).toBe(1);
    expect(l.connections).toBe(3);
  });

  it('bounds rooms per socket', () => {
    const l = new ResourceLimits({ maxRoomsPerSocket: 3 });
    expect(codeOf(() => l.checkRooms(2))).toBeUndefined();
    expect(codeOf(() => l.checkRooms(3))).toBe('too_many');
  });

  it('rejects nonsense limits', () => {
    expect(() => new ResourceLimits({ maxConnections: -1 })).toThrow(RangeError);
    expect(() => new ResourceLimits({ maxPollsPerSession: 1.5 })).toThrow(RangeError);
  });
});
