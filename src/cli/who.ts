import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';

export const whoCommand: CommandModule<object, ClientArgs> = {
  command: 'who',
  describe: 'list who is in a room, with their transport and since when',
  builder: (y: Argv) =>
    withClientOptions(y)
      .example('$0 who --room ops', 'members of ops')
      .epilogue(EXIT_HELP) as unknown as Argv<ClientArgs>,
  handler: async (args: ArgumentsCamelCase<ClientArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { checkRoom } = await import('./arg-checks.js');
    const { callFirstReachable, httpError } = await import('./http-errors.js');
    const { isRecord } = await import('../protocol/validate.js');
    const { flushStdout, guardStdout, jsonLine } = await import('./line-output.js');
    const { ago, formatTable } = await import('./table-output.js');
    guardStdout();
    const room = checkRoom(args.room);
    const servers = parseServers(args.server);
    const { server, res } = await callFirstReachable({ servers, path: `/rooms/${room}/presence`, token: args.token });
    if (res.status !== 200) throw httpError(server, res);
    const body = res.body;
    if (!isRecord(body) || !Array.isArray(body.members)) {
      throw new CliError(`${server}: unexpected answer to GET /rooms/${room}/presence`, EXIT.error);
    }
    if (args.json) {
      process.stdout.write(jsonLine(body));
    } else {
      const now = Date.now();
      const rows = body.members
        .filter(isRecord)
        .map((m) => [String(m.nick), String(m.via), typeof m.since === 'number' ? ago(now - m.since) : '?']);
      process.stdout.write(formatTable(['NICK', 'VIA', 'SINCE'], rows, { color: useColor() }));
    }
    await flushStdout();
  },
};
