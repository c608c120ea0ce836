import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ViaChoice } from '../client/types.js';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import type { TuiExit } from '../tui/run.js';
import { CliError, EXIT, EXIT_HELP, type ExitCode } from './exit-codes.js';

interface JoinArgs extends ClientArgs {
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
      .option('stay', {
        type: 'boolean',
        default: false,
        describe: 'without a terminal: keep receiving after stdin ends',
      })
      .option('echo', {
        type: 'boolean',
        default: true,
        describe: 'without a terminal: print your own messages too (--no-echo)',
      })
      .option('timeout', {
        type: 'number',
        default: 30,
        describe: 'without a terminal: seconds to wait for pending acks after stdin ends (exit 4)',
      })
      .example('$0 join ops', 'chat in ops')
      .example("printf 'a\\nb\\n' | $0 join ops", 'send two lines, print the room, exit once acked')
      .example('$0 join --json --stay < /dev/null', 'every protocol event as a JSON line')
      .epilogue(EXIT_HELP) as unknown as Argv<JoinArgs>,
  handler: async (args: ArgumentsCamelCase<JoinArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { checkNick, checkRoom } = await import('./arg-checks.js');
    const servers = parseServers(args.server);
    const room = checkRoom(args.room);
    const nick = checkNick(args.nick);
    const via = args.via as ViaChoice;
    // --json is for programs, so it always gets lines, even on a terminal.
    if (!args.json && process.stdin.isTTY && process.stdout.isTTY) {
      // Ink and React load here and only here.
      const { runTui } = await import('../tui/run.js');
      const exit = await runTui({ servers, room, nick, via, ...(args.token ? { token: args.token } : {}) });
      process.exit(tuiExitCode(exit));
    }
    if (!(args.timeout > 0)) throw new CliError('--timeout must be a positive number of seconds', EXIT.usage);
    const { guardStdout } = await import('./line-output.js');
    guardStdout();
    const { runJoinPipe } = await import('./join-pipe.js');
    const code = await runJoinPipe({
      servers,
      room,
      nick,
      token: args.token,
      via,
      json: args.json,
      color: useColor(),
      stay: args.stay,
      echo: args.echo,
      ackTimeoutMs: args.timeout * 1000,
    });
    process.exit(code);
  },
};

/**
 * The exit code for why the TUI ended: leaving is the normal way out of a chat (0), a signal from
 * outside is 130, and a refused token is 3 with one line on stderr, as with every other command.
 */
function tuiExitCode(exit: TuiExit): ExitCode {
  switch (exit.reason) {
    case 'left':
      return EXIT.ok;
    case 'signal':
      return EXIT.interrupted;
    case 'unauthorized':
      throw new CliError(`the server refused the token: ${exit.message ?? 'unauthorized'}`, EXIT.unreachable);
  }
}
