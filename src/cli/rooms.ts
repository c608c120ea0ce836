import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions, type ClientArgs } from './common-options.js';
import { EXIT_HELP } from './exit-codes.js';

export const roomsCommand: CommandModule<object, ClientArgs> = {
  command: 'rooms',
  describe: 'list the rooms with their head seq and member count',
  builder: (y: Argv) =>
    withClientOptions(y).example('$0 rooms --json | jq -r .room', 'room names, one per line').epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<ClientArgs>) => {
    const { runListing } = await import('./listing-run.js');
    const { jsonLine } = await import('./line-output.js');
    await runListing({
      args,
      path: '/rooms',
      field: 'rooms',
      json: (_body, rooms) => rooms.map((r) => jsonLine(r)).join(''),
      header: ['ROOM', 'HEAD', 'MEMBERS'],
      row: (r) => [String(r.room), String(r.head), String(r.members)],
    });
  },
};
