/**
 * The tables the CLI prints (`who`, `rooms`) line up by display width, not
 * code points: a CJK nick or an emoji takes two columns, a combining accent
 * none. The real binary over pipes, the real server, real members.
 */
import stringWidth from 'string-width';
import { expect, it } from 'vitest';
import { newRoom, openReceiver, presenceOf, runRtchat, useTestServer, waitFor } from '../helpers/index.js';

const srv = useTestServer();

/** The display column at which `cell` starts in `line`. */
const columnOf = (line: string, cell: string): number => stringWidth(line.slice(0, line.indexOf(cell)));

it('who: the VIA column starts at the same display column for wide and narrow nicks', async () => {
  const room = newRoom();
  const nicks = ['李雷', 'ann', 'zoë😀', 'Jose\u0301'];
  const receivers = await Promise.all(nicks.map((nick) => openReceiver('sse', { url: srv.url, room, nick })));
  try {
    const members = async (): Promise<number> => (await presenceOf(srv.url, room)).members.length;
    await waitFor(async () => (await members()) === nicks.length, { what: 'four members' });
    const r = await runRtchat(['who', '--server', srv.url, '--room', room]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(nicks.length + 1);
    const header = lines[0] ?? '';
    const via = columnOf(header, 'VIA');
    const since = columnOf(header, 'SINCE');
    for (const line of lines.slice(1)) {
      expect(columnOf(line, 'sse'), line).toBe(via);
      expect(stringWidth(line.slice(0, line.search(/\d+[smhd]$/))), line).toBe(since);
    }
  } finally {
    for (const rx of receivers) rx.close();
  }
});
