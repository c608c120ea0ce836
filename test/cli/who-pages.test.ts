/**
 * `rtchat who` in a big room (protocol 1.1): the server pages the member
 * list, so `who` shows one page, says how many there are on stderr, and
 * `--offset` gets the next page. The real binary, server and members.
 */
import { expect, it } from 'vitest';
import { newRoom, openReceiver, presenceOf, runRtchat, useTestServer, waitFor } from '../helpers/index.js';

const srv = useTestServer();

it('who pages a room bigger than a page and says how to see the rest', async () => {
  const room = newRoom();
  const nicks = ['m0', 'm1', 'm2', 'm3', 'm4'];
  const receivers = [];
  // One at a time: the page order is join order.
  for (const nick of nicks) {
    receivers.push(await openReceiver('sse', { url: srv.url, room, nick }));
    await waitFor(async () => (await presenceOf(srv.url, room)).count === receivers.length, { what: `${nick} in` });
  }
  try {
    const first = await runRtchat(['who', '--server', srv.url, '--room', room, '--limit', '2']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^NICK\s+VIA\s+SINCE\nm0\s+sse\s+\S+\nm1\s+sse\s+\S+\n$/);
    expect(first.stderr).toBe('rtchat: members 1–2 of 5; --offset 2 for the next page\n');
    const last = await runRtchat(['who', '--server', srv.url, '--room', room, '--limit', '2', '--offset', '4']);
    expect(last.stdout).toMatch(/^NICK\s+VIA\s+SINCE\nm4\s+sse\s+\S+\n$/);
    expect(last.stderr).toBe('');
    const bad = await runRtchat(['who', '--server', srv.url, '--room', room, '--offset', '-3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('rtchat: --offset must be a whole number, 0 or more\n');
  } finally {
    for (const r of receivers) r.close();
  }
});
