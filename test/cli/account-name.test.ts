/**
 * The terminal client's nick with an account is the account's name (the
 * server posts under it whatever --nick says): asked of the real server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accountName } from '../../src/cli/account-name.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { useTestServer } from '../helpers/index.js';

const srv = useTestServer();
let ann: string;

beforeAll(async () => {
  ann = await new Accounts(srv.store.identity).add('ann');
});

describe('accountName', () => {
  it("is the account's name for an account token", async () => {
    expect(await accountName({ server: srv.url, token: ann })).toBe('ann');
  });

  it('is undefined without a token, for a refused token, and for a server that cannot be reached', async () => {
    expect(await accountName({ server: srv.url })).toBeUndefined();
    expect(await accountName({ server: srv.url, token: 'rtc1.ann.wrong' })).toBeUndefined();
    expect(await accountName({ server: 'http://127.0.0.1:1', token: ann })).toBeUndefined();
  });
});
