import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { waitFor } from '../helpers/wait-for.js';
import { KEYS, mount, type Mounted } from './harness.js';

afterEach(() => cleanup());

async function enter(ui: Mounted, line: string): Promise<void> {
  await ui.type(line);
  await ui.type(KEYS.enter);
}

describe('App', () => {
  test('slash commands reach the client and show their panels; unknown ones get a system line', async () => {
    const ui = mount();
    ui.client.setState({ name: 'online', via: 'ws', server: 'http://127.0.0.1:7878' });
    await enter(ui, '/via longpoll');
    await enter(ui, '/nick bob');
    await enter(ui, '/join ops');
    await waitFor(() => ui.client.calls.join(' ') === 'via:longpoll nick:bob add:ops', { what: 'client calls' });
    await ui.until(
      (f) => f.includes('#ops as bob') && f.includes('you are now bob') && f.includes('joining #ops'),
      'nick and room',
    );

    await enter(ui, '/help');
    await ui.until(
      (f) => f.includes('/nick NAME') && /1–\d+ of \d+ · PgUp\/PgDn/.test(f),
      'the help panel, first page',
    );
    // A 24-row terminal shows help a page at a time; PgDn turns the page.
    await ui.type(KEYS.pageDown);
    await ui.until((f) => /\d+–\d+ of \d+/.test(f) && !f.includes('/nick NAME'), 'the next page of help');
    await ui.type(KEYS.escape);
    await ui.until((f) => !/\d+–\d+ of \d+ · PgUp/.test(f), 'the help panel to close');

    ui.client.emit('latency', {
      rtt: { last: 2, avg: 3, p95: 4, samples: 5 },
      offsetMs: -1.5,
      delivery: { samples: 0 },
      ownRoundTrip: { last: 7, samples: 1 },
    });
    await enter(ui, '/latency');
    await ui.until(
      (f) => f.includes('ping round trip') && f.includes('(5 samples)') && f.includes('server behind by 1.5 ms'),
      'the latency panel',
    );
    await waitFor(() => ui.client.latencyFocus.at(-1) === true, { what: 'the client told the panel is open' });
    await enter(ui, '/latency');
    await ui.until((f) => !f.includes('ping round trip'), 'the latency panel to close');
    await waitFor(() => ui.client.latencyFocus.at(-1) === false, { what: 'the client told the panel is closed' });

    ui.client.emit('presence', {
      type: 'presence',
      room: 'ops',
      version: 1,
      members: [
        { nick: 'bob', via: 'longpoll', since: 0 },
        { nick: 'cy', via: 'sse', since: 0 },
      ],
    });
    await enter(ui, '/who');
    await ui.until((f) => f.includes('#ops: 2 online') && /cy\s+sse\s+since/.test(f), 'the who panel');

    await enter(ui, '/bogus');
    await enter(ui, '/via pigeon');
    await ui.until(
      (f) =>
        f.includes('unknown command /bogus; /help lists the commands') && f.includes('usage: /via ws|sse|longpoll'),
      'errors',
    );

    await enter(ui, '/me waves');
    await enter(ui, '//slash');
    expect(ui.client.sent.map((m) => m.text)).toEqual(['/me waves', '/slash']);
    expect(ui.quits).toEqual([]);
    await enter(ui, '/quit');
    expect(ui.quits).toEqual(['left']);
  });

  test('a failing client call becomes a system line', async () => {
    const ui = mount();
    ui.client.switchVia = async () => {
      throw new Error('no route');
    };
    ui.client.send = () => {
      throw new Error('text must be 1..4000 characters');
    };
    await enter(ui, '/via sse');
    await enter(ui, 'x');
    await ui.until(
      (f) => f.includes('cannot switch to sse: no route') && f.includes('not sent: text must be 1..4000 characters'),
      'errors',
    );
  });

  test('Up/Down recall sent lines; a paste ending in Enter sends the whole line', async () => {
    const ui = mount();
    await ui.type('first\r');
    await ui.type('second');
    await ui.type(KEYS.enter);
    await waitFor(() => ui.client.sent.length === 2, { what: 'two sends' });
    expect(ui.client.sent.map((m) => m.text)).toEqual(['first', 'second']);
    await ui.type('dra');
    await ui.type(KEYS.up);
    await ui.until((f) => f.includes('#lobby> second'), 'the last line');
    await ui.type(KEYS.up);
    await ui.until((f) => f.includes('#lobby> first'), 'the line before');
    await ui.type(KEYS.down);
    await ui.type(KEYS.down);
    await ui.until((f) => f.includes('#lobby> dra'), 'the draft back');
  });

  test('a terminal resize redraws the live area to the new width', async () => {
    const ui = mount();
    ui.client.setState({ name: 'online', via: 'ws', server: 'http://127.0.0.1:7878' });
    const statusBar = (f: string): string => f.split('\n').find((l) => l.startsWith('● online')) ?? '';
    const wide = statusBar(await ui.until((f) => f.includes('● online'), 'the status bar'));
    expect(wide).toMatch(/^● online │ ws │ #lobby as ann │ rtt – ms avg – p95 – │ delivery – ms │ \? online$/);
    ui.resize(50, 20);
    const narrow = statusBar(await ui.until((f) => statusBar(f).length < 50, 'a narrower status bar'));
    expect(narrow).toBe('● online │ ws │ #lobby as ann │ ? online');
  });

  test('Ctrl+C asks to quit: the user left', async () => {
    const ui = mount();
    await ui.type(KEYS.ctrlC);
    await waitFor(() => ui.quits.length === 1, { what: 'quit' });
    expect(ui.quits).toEqual(['left']);
  });

  test('a flood of 1,000 messages is drawn in a few batched frames, each message once', async () => {
    const ui = mount();
    await ui.until((f) => f.includes('#lobby>'), 'first frame');
    const before = ui.frames().length;
    for (let i = 1; i <= 1000; i++) ui.client.deliver({ seq: i, nick: i % 2 ? 'bob' : 'cy', text: `flood-${i}.` });
    const f = await ui.until((x) => x.includes('flood-1000.'), 'the last message');
    const renders = ui.frames().length - before;
    expect(renders).toBeLessThan(10);
    const seen = [...f.matchAll(/flood-(\d+)\./g)].map((m) => Number(m[1]));
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});
