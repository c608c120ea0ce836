import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ViaChoice } from '../client/types.js';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';

interface JoinArgs extends ClientArgs {
  since?: string | undefined;
  stay: boolean;
  echo: boolean;
  timeout: number;
}

export const joinCommand: CommandModule<object, JoinArgs> = {
  command: 'join [room]',
  describe: 'chat in a room: the full-screen client on a terminal, lines in and out when piped',
  builder: (y: Argv) =>
    withClientOptions(y)
      .positional('room', { type: 'string', describe: 'room to join (same as --room)' })
      .option('since', {
        type: 'string',
        describe: 'without a terminal: start after this seq, or with "now" at the newest message (no history)',
      })
      .option('stay', { type: 'boolean', default: false, describe: 'without a terminal: keep receiving after stdin ends' })
      .option('echo', { type: 'boolean', default: true, describe: 'without a terminal: print your own messages too (--no-echo)' })
      .option('timeout', {
        type: 'number',
        default: 30,
        describe: 'without a terminal: seconds to wait for pending acks after stdin ends (exit 4)',
      })
      .example('$0 join ops', 'chat in ops')
      .example("printf 'a\\nb\\n' | $0 join ops", 'send two lines, print the room, exit once acked')
      .example('$0 join --json --stay < /dev/null', 'every protocol event as a JSON line')
      .example('$0 join ops --since now --stay --no-echo < in | ./bot > in', 'a bot that answers new messages only')
      .epilogue(EXIT_HELP) as unknown as Argv<JoinArgs>,
  handler: async (args: ArgumentsCamelCase<JoinArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { checkNick, checkRoom, parseSince } = await import('./arg-checks.js');
    const since = parseSince(args.since);
    const servers = parseServers(args.server);
    const room = checkRoom(args.room);
    const nick = checkNick(args.nick);
    const via = args.via as ViaChoice;
    const { resolveClientAuth } = await import('./client-auth.js');
    const auth = resolveClientAuth(args, servers);
    // --json is for programs, so it always gets lines, even on a terminal.
    if (!args.json && process.stdin.isTTY && process.stdout.isTTY) {
      // Ink and React load here and only here.
      const { runTui } = await import('../tui/run.js');
      const code = await runTui({
        servers,
        room,
        nick,
        via,
        ...(auth.token ? { token: auth.token } : {}),
        ...(auth.ca !== undefined && { ca: auth.ca }),
      });
      process.exit(code);
    }
    if (!(args.timeout > 0)) throw new CliError('--timeout must be a positive number of seconds', EXIT.usage);
    const { guardStdout } = await import('./line-output.js');
    guardStdout();
    const { runJoinPipe } = await import('./join-pipe.js');
    const code = await runJoinPipe({
      servers,
      room,
      nick,
      ...auth,
      via,
      json: args.json,
      color: useColor(),
      since,
      stay: args.stay,
      echo: args.echo,
      ackTimeoutMs: args.timeout * 1000,
    });
    process.exit(code);
  },
};
