import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';

export const roomsCommand: CommandModule<object, ClientArgs> = {
  command: 'rooms',
  describe: 'list the rooms with their head seq and member count',
  builder: (y: Argv) =>
    withClientOptions(y)
      .example('$0 rooms --json | jq -r .room', 'room names, one per line')
      .epilogue(EXIT_HELP) as unknown as Argv<ClientArgs>,
  handler: async (args: ArgumentsCamelCase<ClientArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { callFirstReachable, httpError } = await import('./http-errors.js');
    const { isRecord } = await import('../protocol/validate.js');
    const { flushStdout, guardStdout, jsonLine } = await import('./line-output.js');
    const { formatTable } = await import('./table-output.js');
    guardStdout();
    const { server, res } = await callFirstReachable({ servers: parseServers(args.server), path: '/rooms', token: args.token });
    if (res.status !== 200) throw httpError(server, res);
    const list = isRecord(res.body) && Array.isArray(res.body.rooms) ? res.body.rooms : undefined;
    if (!list) throw new CliError(`${server}: unexpected answer to GET /rooms`, EXIT.error);
    const rooms = list.filter(isRecord);
    if (args.json) {
      process.stdout.write(rooms.map((r) => jsonLine(r)).join(''));
    } else {
      const rows = rooms.map((r) => [String(r.room), String(r.head), String(r.members)]);
      process.stdout.write(formatTable(['ROOM', 'HEAD', 'MEMBERS'], rows, { color: useColor() }));
    }
    await flushStdout();
  },
};
