/**
 * In the TUI, repeated connection errors collapse into the status bar (issue
 * 11, finding 11): the App over a real ChatClient (`auto`) whose server is
 * away shows one history line and "reconnecting #N", not three lines a retry.
 */
import { afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { App } from '../../src/tui/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { closedPort } from '../cli/cli-fixtures.js';
import { stripSgr } from './sgr.js';

let client: ChatClient | undefined;
afterEach(async () => {
  cleanup();
  await client?.stop();
});

test('a server that stays away: one line in the history, the retries in the status bar', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const backoff = { minMs: 20, maxMs: 100 };
  client = new ChatClient({ servers: [url], room: 'lobby', nick: 'ann', via: 'auto', backoff });
  const ui = render(<App client={client} server={url} onQuit={() => undefined} />);
  void client.start();
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => /reconnecting #[4-9]/.test(frame()), { what: 'the fourth retry in the status bar' });
  const history = frame()
    .split('\n')
    .filter((l) => /refused|failed|lost/.test(l) && !l.includes('reconnecting #'));
  expect(history).toEqual([expect.stringMatching(/connection lost \(connection refused\); reconnecting$/)]);
});
