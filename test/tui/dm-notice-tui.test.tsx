/**
 * A new DM shows at once in the terminal client: ann opens a DM with bob and
 * writes; bob's room list shows `@ann 1!` and the bell rings on the server's
 * `dm` notice, over every transport, with no `GET /dms` after the one at start
 * (the 5-minute safety net never comes into it).
 */
import { afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { openDm } from '../../src/client/dms.js';
import type { Via } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { App } from '../../src/tui/app.js';
import { loadMarkers } from '../../src/tui/run.js';
import { httpServices } from '../../src/tui/services.js';
import { newRoom, postMessage, TRANSPORTS, useTestServer, waitFor } from '../helpers/index.js';
import { stripSgr } from './sgr.js';

const srv = useTestServer();
const clients: ChatClient[] = [];
let n = 0;

afterEach(async () => {
  cleanup();
  await Promise.all(clients.map((c) => c.stop()));
  clients.length = 0;
});

test.each(TRANSPORTS as Via[])('over %s: @ann 1! and the bell at once, without polling GET /dms', async (via) => {
  n++;
  const accounts = new Accounts(srv.store.identity);
  const [ann, bob] = [`ann${n}`, `bob${n}`];
  const annToken = await accounts.add(ann);
  const token = await accounts.add(bob);
  const room = newRoom('lobby');
  const client = new ChatClient({ servers: [srv.url], room, nick: bob, via, token });
  clients.push(client);
  const base = httpServices({ server: () => srv.url, markerServer: srv.url, token });
  let asked = 0;
  let answered = 0;
  const services = {
    ...base,
    listDms: () => {
      asked++;
      return base.listDms().finally(() => answered++);
    },
  };
  const bells: string[] = [];
  const ui = render(
    <App
      client={client}
      services={services}
      rooms={await loadMarkers(services, [room])}
      server={srv.url}
      onQuit={() => undefined}
      alertOut={(b) => bells.push(b)}
    />,
  );
  await client.start();
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => frame().includes('● online') && answered === 1, { what: 'online, DMs asked for once' });

  const dm = await openDm({ server: srv.url, token: annToken, to: bob });
  expect((await postMessage(srv.url, dm.room, { nick: ann, text: 'psst' }, { token: annToken })).status).toBe(201);
  await waitFor(() => frame().includes(`@${ann} 1!`), { what: 'the DM in the room list, unread' });
  await waitFor(() => bells.length === 1, { what: 'the bell for the DM' });
  expect(asked).toBe(1);
});
