import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { StatusBar, type StatusBarProps } from '../../src/tui/components/status-bar.js';
import type { ConnectionState } from '../../src/client/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { FG, stripSgr, styleAt } from './sgr.js';

const SERVER = 'http://127.0.0.1:7878';

function bar(connection: ConnectionState, extra: Partial<StatusBarProps> = {}) {
  return render(
    <StatusBar
      connection={connection}
      via="ws"
      server={SERVER}
      room="#lobby"
      nick="ann"
      latency={{
        rtt: { last: 1.5, avg: 2, p95: 3.25, samples: 4 },
        offsetMs: 1,
        delivery: { last: 12.4, avg: 10, p95: 20, samples: 9 },
        ownRoundTrip: { samples: 0 },
      }}
      online={3}
      width={200}
      {...extra}
    />,
  );
}

afterEach(() => cleanup());

describe('StatusBar', () => {
  test('online: green, with transport, room, nick, RTT last/avg/p95, delivery, members and server', () => {
    const frame = bar({ name: 'online', via: 'ws', server: SERVER }).lastFrame() ?? '';
    expect(stripSgr(frame)).toBe(
      `● online │ ws │ #lobby as ann │ rtt 1.5 ms avg 2.0 p95 3.3 │ delivery 12 ms │ 3 online │ ${SERVER}`,
    );
    expect(styleAt(frame, 'online').fg).toBe(FG.green);
  });

  test('connecting: yellow', () => {
    const frame =
      bar({ name: 'connecting', via: 'sse', server: SERVER }, { via: 'sse', online: undefined }).lastFrame() ?? '';
    expect(stripSgr(frame)).toMatch(/^◌ connecting │ sse │ .* │ \? online │/);
    expect(styleAt(frame, 'connecting').fg).toBe(FG.yellow);
  });

  test('reconnecting: yellow, with the attempt number and a countdown that ticks', async () => {
    const r = bar({
      name: 'reconnecting',
      via: 'ws',
      server: SERVER,
      attempt: 3,
      nextInMs: 1500,
      at: Date.now() + 1500,
      reason: 'x',
    });
    const first = r.lastFrame() ?? '';
    expect(stripSgr(first)).toMatch(/^◌ reconnecting #3 in [12]s │ ws │/);
    expect(styleAt(first, 'reconnecting').fg).toBe(FG.yellow);
    await waitFor(() => stripSgr(r.lastFrame() ?? '').includes('reconnecting #3 in 0s'), {
      what: 'countdown to reach 0s',
    });
  });

  test('offline: red, with the reason escaped', () => {
    const frame = bar({ name: 'offline', reason: 'gave up \x1b[2J' }).lastFrame() ?? '';
    expect(stripSgr(frame)).toMatch(/^✕ offline: gave up \\e\[2J │ ws │/);
    expect(styleAt(frame, 'offline').fg).toBe(FG.red);
    expect(stripSgr(frame)).not.toContain('\x1b');
  });

  test('unknown latency shows a dash, and a narrow terminal truncates instead of wrapping', () => {
    const empty = { rtt: { samples: 0 }, offsetMs: undefined, delivery: { samples: 0 }, ownRoundTrip: { samples: 0 } };
    const frame = bar({ name: 'online', via: 'ws', server: SERVER }, { latency: empty, width: 40 }).lastFrame() ?? '';
    expect(stripSgr(frame).split('\n')).toHaveLength(1);
    expect(
      stripSgr(bar({ name: 'online', via: 'ws', server: SERVER }, { latency: empty }).lastFrame() ?? ''),
    ).toContain('rtt – ms avg – p95 – │ delivery – ms');
  });
});
