/**
 * `rtchat user add|list|remove|token`: accounts of a server, managed in its
 * store (see admin-store.ts). `add` and `token` print the new token once, on
 * stdout; only its salted hash is kept.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withAdminStoreOptions, type AdminStoreArgs } from './admin-store.js';
import { EXIT_HELP } from './exit-codes.js';

interface UserArgs extends AdminStoreArgs {
  action: string;
  name?: string | undefined;
  json: boolean;
}

const ACTIONS = ['add', 'list', 'remove', 'token'] as const;

export const userCommand: CommandModule<object, UserArgs> = {
  command: 'user <action> [name]',
  describe: 'manage accounts: add NAME, list, remove NAME, token NAME (a new token; the old one stops working)',
  builder: (y: Argv) =>
    withAdminStoreOptions(y)
      .positional('action', { type: 'string', choices: ACTIONS, describe: 'what to do' })
      .positional('name', { type: 'string', describe: 'account name (lower-case letters, digits, - and _)' })
      .option('json', { type: 'boolean', default: false, describe: 'list: one JSON object per line' })
      .example('$0 user add ann', "create ann's account and print its token (shown once)")
      .example('$0 user token ann', 'give ann a new token; the old one stops working at once')
      .example('$0 user list --redis redis://127.0.0.1:6379/0', 'the accounts of a scale-out server')
      .epilogue(EXIT_HELP) as unknown as Argv<UserArgs>,
  handler: async (args: ArgumentsCamelCase<UserArgs>) => {
    const { CliError, EXIT } = await import('./exit-codes.js');
    const { withIdentityStore } = await import('./admin-store.js');
    const { Accounts } = await import('../server/identity/accounts.js');
    const { flushStdout, note } = await import('./line-output.js');
    const name = args.name;
    if (args.action !== 'list' && (name === undefined || name === '')) {
      throw new CliError(`user ${args.action} needs an account name`, EXIT.usage);
    }
    await withIdentityStore(args, async (identity) => {
      const accounts = new Accounts(identity);
      switch (args.action) {
        case 'add':
        case 'token': {
          const token = args.action === 'add' ? await accounts.add(name ?? '') : await accounts.rotate(name ?? '');
          process.stdout.write(`${token}\n`);
          note(`the token of ${name ?? ''} is shown only now: hand it over (rtchat login --server URL reads it)`);
          return;
        }
        case 'remove':
          await accounts.remove(name ?? '');
          note(`removed ${name ?? ''}: its token stops working at once`);
          return;
        case 'list': {
          const list = await accounts.list();
          for (const r of list) {
            const row = {
              name: r.name,
              created: new Date(r.created).toISOString(),
              rotated: new Date(r.rotated).toISOString(),
            };
            process.stdout.write(
              args.json ? JSON.stringify(row) + '\n' : `${row.name}\tcreated ${row.created}\ttoken ${row.rotated}\n`,
            );
          }
          return;
        }
      }
    });
    await flushStdout();
  },
};
