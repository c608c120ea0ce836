import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions, type ClientArgs } from './common-options.js';
import { EXIT_HELP } from './exit-codes.js';

export const whoCommand: CommandModule<object, ClientArgs> = {
  command: 'who',
  describe: 'list who is in a room, with their transport and since when',
  builder: (y: Argv) => withClientOptions(y).example('$0 who --room ops', 'members of ops').epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<ClientArgs>) => {
    const { checkRoom } = await import('./arg-checks.js');
    const { runListing } = await import('./listing-run.js');
    const { jsonLine } = await import('./line-output.js');
    const { ago } = await import('./table-output.js');
    const room = checkRoom(args.room);
    await runListing({
      args,
      path: `/rooms/${room}/presence`,
      field: 'members',
      json: (body) => jsonLine(body),
      header: ['NICK', 'VIA', 'SINCE'],
      row: (m, now) => [String(m.nick), String(m.via), typeof m.since === 'number' ? ago(now - m.since) : '?'],
    });
  },
};
