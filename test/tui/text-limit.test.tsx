/**
 * A text over the limit typed into the TUI (issue 11, finding 11): the App
 * over a real ChatClient and the real server refuses it before sending, says
 * its length and the limit once, and does not echo the text back.
 */
import { afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { App } from '../../src/tui/app.js';
import { newRoom, useTestServer, waitFor } from '../helpers/index.js';
import { roomMessages } from '../cli/cli-fixtures.js';
import { stripSgr } from './sgr.js';

const srv = useTestServer();
let client: ChatClient | undefined;
afterEach(async () => {
  cleanup();
  await client?.stop();
});

test('4,100 characters: refused before sending, with the limit, without the text', async () => {
  const room = newRoom();
  client = new ChatClient({ servers: [srv.url], room, nick: 'ann', via: 'ws' });
  const ui = render(<App client={client} server={srv.url} onQuit={() => undefined} />);
  await client.start();
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => frame().includes('● online'), { what: 'online' });
  ui.stdin.write('x'.repeat(4100));
  await waitFor(() => frame().includes('xxxxxxxxxx'), { what: 'the text in the input line' });
  ui.stdin.write('\r');
  await waitFor(() => frame().includes('not sent'), { what: 'the refusal' });
  const refusals = frame()
    .split('\n')
    .filter((l) => l.includes('not sent'));
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toContain('not sent: 4100 characters, over the limit of 4000: shorten or split it');
  expect(frame()).not.toContain('x'.repeat(50));
  // Nothing left: an ordinary line after it is the room's first message.
  ui.stdin.write('short\r');
  await waitFor(async () => (await roomMessages(srv.url, room)).length === 1, { what: 'the short line stored' });
  expect((await roomMessages(srv.url, room)).map((m) => m.text)).toEqual(['short']);
});
