import { describe, expect, test } from 'vitest';
import { liveLayout } from '../../src/tui/layout.js';
import { chatReducer, initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { ChatAction } from '../../src/tui/state/actions.js';
import type { ChatState, Panel, PendingLine } from '../../src/tui/state/types.js';
import { fitStatus, statusFields, type StatusInput } from '../../src/tui/status-fields.js';
import { displayWidth } from '../../src/tui/text/width.js';

const base = (extra: Partial<ChatState> = {}): ChatState => ({
  ...initialChatState({ server: 's', room: 'lobby', nick: 'ann', via: 'ws' }),
  ...extra,
});
const pending = (n: number): PendingLine[] =>
  Array.from({ length: n }, (_, i) => ({ cid: `c${i}`, nick: 'ann', text: `p${i}`, queuedAt: 0, status: 'pending' }));

describe('liveLayout', () => {
  test('the live area is always shorter than the terminal, whatever is open', () => {
    for (const rows of [6, 10, 22, 24, 40, 60]) {
      for (const panel of ['none', 'help', 'latency', 'who'] as Panel[]) {
        for (const n of [0, 1, 22, 60, 500]) {
          for (const scrollOffset of [0, 5]) {
            const s = base({ rows, panel, pending: pending(n), scrollOffset, online: 18211, truncated: true });
            const l = liveLayout(s);
            expect(l.height, JSON.stringify({ rows, panel, n, scrollOffset })).toBeLessThan(rows);
            expect(l.pendingRows).toBeLessThanOrEqual(n);
          }
        }
      }
    }
  });

  test('a panel leaves a third of the screen to the conversation', () => {
    const l = liveLayout(base({ rows: 30, panel: 'help' }));
    expect(30 - l.height).toBeGreaterThanOrEqual(10);
    expect(liveLayout(base({ rows: 30, panel: 'latency' })).panelRows).toBe(7);
  });
});

describe('repaints', () => {
  const step = (s: ChatState, ...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, s);

  test('on a width change, on closing a panel or the scrollback window; not on other changes', () => {
    const line = (i: number) => ({ kind: 'system', id: i + 1, ts: 0, level: 'info', text: `l${i}` }) as const;
    const lines = Array.from({ length: 50 }, (_, i) => line(i));
    let s = base({ lines });
    s = step(s, { type: 'resize', columns: 80, rows: 30 });
    expect(s.paint).toBe(0);
    s = step(s, { type: 'resize', columns: 60, rows: 30 });
    expect(s.paint).toBe(1);
    s = step(s, { type: 'panel', panel: 'help' }, { type: 'panel/page', direction: 'down', pageSize: 5, total: 21 });
    expect([s.paint, s.panelOffset]).toEqual([1, 5]);
    s = step(s, { type: 'panel', panel: 'who' });
    expect([s.paint, s.panelOffset]).toEqual([2, 0]);
    s = step(s, { type: 'panel', panel: 'who' });
    expect(s.paint).toBe(3);
    s = step(s, { type: 'scroll', direction: 'up', pageSize: 10 }, { type: 'input/insert', text: 'x' });
    expect(s.paint).toBe(3);
    s = step(s, { type: 'scroll', direction: 'bottom', pageSize: 10 });
    expect(s.paint).toBe(4);
    // A shorter terminal repaints only when the live area no longer fits in it.
    s = step(s, { type: 'resize', columns: 60, rows: 25 });
    expect(s.paint).toBe(4);
    s = step(s, { type: 'panel', panel: 'help' }, { type: 'resize', columns: 60, rows: 8 });
    expect(s.paint).toBe(5);
  });

  test('panel pages stay within the list', () => {
    let s = base({ panel: 'who' });
    const page = (direction: 'up' | 'down'): ChatAction => ({ type: 'panel/page', direction, pageSize: 10, total: 35 });
    s = [1, 2, 3, 4].reduce((acc) => chatReducer(acc, page('down')), s);
    expect(s.panelOffset).toBe(25);
    s = [1, 2, 3, 4].reduce((acc) => chatReducer(acc, page('up')), s);
    expect(s.panelOffset).toBe(0);
  });
});

describe('fitStatus', () => {
  const input = (extra: Partial<StatusInput> = {}): StatusInput => ({
    connection: { name: 'online', via: 'ws', server: 'http://127.0.0.1:7878' },
    countdown: undefined,
    via: 'ws',
    server: 'http://127.0.0.1:7878',
    room: '#engineering-team',
    nick: 'ann',
    latency: {
      rtt: { last: 1.2, avg: 2, p95: 9, samples: 3 },
      offsetMs: 0,
      delivery: { last: 48, samples: 1 },
      ownRoundTrip: { samples: 0 },
    },
    online: 18211,
    ...extra,
  });
  const text = (i: StatusInput, width: number): string =>
    fitStatus(statusFields(i), width)
      .map((f, n) => (n === 0 ? '' : f.glue) + f.text)
      .join('');

  test('fits every width from 30 to 200 and always ends with the whole count, after the whole state', () => {
    for (let width = 30; width <= 200; width++) {
      const t = text(input(), width);
      expect(displayWidth(t), t).toBeLessThanOrEqual(width);
      expect(t).toMatch(/^● online( │ .*)? │ 18,211 online( │ http.*)?$/);
    }
  });

  test('drops the least useful first: server, RTT details, delivery, RTT, room, transport', () => {
    const head = '● online │ ws │ #engineering-team as ann';
    expect(text(input(), 119)).toBe(`${head} │ rtt 1.2 ms avg 2.0 p95 9.0 │ delivery 48 ms │ 18,211 online`);
    expect(text(input(), 89)).toBe(`${head} │ rtt 1.2 ms │ delivery 48 ms │ 18,211 online`);
    expect(text(input(), 79)).toBe('● online │ ws │ #engineering-team as ann │ rtt 1.2 ms │ 18,211 online');
    expect(text(input(), 60)).toBe('● online │ ws │ #engineering-team as ann │ 18,211 online');
    expect(text(input(), 40)).toBe('● online │ ws │ 18,211 online');
  });

  test('offline: the reason is shortened, never the state', () => {
    const reason = 'gave up after 12 attempts: connect ECONNREFUSED 127.0.0.1:7878';
    const t = text(input({ connection: { name: 'offline', reason } }), 60);
    expect(t).toMatch(/^✕ offline: gave up .*… │ 18,211 online$/);
    expect(displayWidth(t)).toBeLessThanOrEqual(60);
  });
});
