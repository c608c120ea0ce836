import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions } from './common-options.js';
import { EXIT_HELP } from './exit-codes.js';
// Type only (erased): the command's code stays lazily loaded.
import type { UnreadArgs } from './unread-run.js';

export const unreadCommand: CommandModule<object, UnreadArgs> = {
  command: 'unread',
  describe: 'list the rooms (and DMs) with unread messages: "#room 10 unread", or JSON lines',
  builder: (y: Argv) =>
    withClientOptions(y)
      .option('all', { type: 'boolean', default: false, describe: 'list rooms with nothing unread too' })
      .example('$0 unread', 'one line per room with unread messages')
      .example('$0 unread --json | jq -r "select(.dm) | .peer"', 'who sent DMs you have not read')
      .epilogue(
        'With an account the server keeps the read markers (GET /unread); without one they come from ' +
          "this machine's state directory (markers.json) and the heads of GET /rooms.\n\n" +
          EXIT_HELP,
      ),
  handler: async (args: ArgumentsCamelCase<UnreadArgs>) => {
    const { runUnread } = await import('./unread-run.js');
    await runUnread(args);
  },
};
