import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ViaChoice } from '../client/types.js';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import type { TuiExit } from '../tui/run.js';
import { CliError, EXIT, EXIT_HELP, type ExitCode } from './exit-codes.js';

interface JoinArgs extends ClientArgs {
  rooms?: string[] | undefined;
  since?: string | undefined;
  stay: boolean;
  echo: boolean;
  timeout: number;
  'input-history': boolean;
  links?: boolean | undefined;
}

export const joinCommand: CommandModule<object, JoinArgs> = {
  command: 'join [rooms..]',
  describe: 'chat in a room: the full-screen client on a terminal, lines in and out when piped',
  builder: (y: Argv) =>
    withClientOptions(y)
      .positional('rooms', {
        type: 'string',
        array: true,
        describe: 'rooms to join, the first one shown (default: --room); several need the terminal client',
      })
      .option('since', {
        type: 'string',
        describe: 'without a terminal: start after this seq, or with "now" at the newest message (no history)',
      })
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
      // Not `history`: that is serve's (a number), and RTCHAT_HISTORY would set both.
      .option('input-history', {
        type: 'boolean',
        default: true,
        describe: 'on a terminal: keep what you type across runs, in the state directory (--no-input-history)',
      })
      .option('links', {
        type: 'boolean',
        describe: 'on a terminal: URLs as clickable OSC 8 links (default: when the terminal supports them)',
      })
      .example('$0 join ops', 'chat in ops')
      .example('$0 join lobby ops dev', 'chat in three rooms; Alt+1..3 or Ctrl+N/P switch between them')
      .example("printf 'a\\nb\\n' | $0 join ops", 'send two lines, print the room, exit once acked')
      .example('$0 join --json --stay < /dev/null', 'every protocol event as a JSON line')
      .example('$0 join ops --since now --stay --no-echo < in | ./bot > in', 'a bot that answers new messages only')
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<JoinArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { checkNick, checkRoom, parseSince } = await import('./arg-checks.js');
    const since = parseSince(args.since);
    const servers = parseServers(args.server);
    // Positional rooms (`join lobby ops dev`) win over --room; the first is the active one.
    const given = (args.rooms ?? []).map((r) => r.replace(/^#/, ''));
    const rooms = (given.length > 0 ? given : [args.room]).map(checkRoom);
    const room = rooms[0] ?? checkRoom(args.room);
    const nick = checkNick(args.nick);
    const via = args.via as ViaChoice;
    const { resolveClientAuth } = await import('./client-auth.js');
    const auth = resolveClientAuth(args, servers);
    // --json is for programs, so it always gets lines, even on a terminal.
    if (!args.json && process.stdin.isTTY && process.stdout.isTTY) {
      // The check tail and piped join make: a wrong --server, scheme or token is
      // one line on stderr and exit 3 before the screen is taken, not a retry loop.
      const { callFirstReachable, preferServer } = await import('./http-errors.js');
      const { trustedCas } = await import('../client/tls-trust.js');
      const { server } = await callFirstReachable({
        servers,
        path: `/ping?t=${Date.now()}`,
        token: auth.token,
        ca: trustedCas(auth.ca),
        connectTimeoutMs: 3000,
        timeoutMs: 3000,
      });
      // With an account the server posts under its name whatever --nick says: mentions, the status
      // line and telling own words from others need that name.
      const { accountName } = await import('./account-name.js');
      const account = await accountName({ server, token: auth.token, ca: trustedCas(auth.ca) });
      // Ink and React load here and only here.
      const { runTui } = await import('../tui/run.js');
      const exit = await runTui({
        servers: preferServer(servers, server),
        room,
        rooms,
        nick: account ?? nick,
        via,
        history: args.inputHistory,
        ...(args.links === undefined ? {} : { links: args.links }),
        ...(auth.token ? { token: auth.token } : {}),
        ...(auth.ca !== undefined && { ca: auth.ca }),
      });
      process.exit(await tuiExitCode(exit));
    }
    if (rooms.length > 1) throw new CliError('several rooms need the terminal client: pipe one room', EXIT.usage);
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

/**
 * The exit code for why the TUI ended: leaving is the normal way out of a chat (0), a signal from
 * outside is 130, and an error no retry can fix (a refused token: 3) is one line on stderr with the
 * same code as from every other command (thrown, printed by main once the terminal is restored).
 */
async function tuiExitCode(exit: TuiExit): Promise<ExitCode> {
  switch (exit.reason) {
    case 'left':
      return EXIT.ok;
    case 'signal':
      return EXIT.interrupted;
    case 'fatal': {
      const { clientFailure } = await import('./client-run.js');
      throw clientFailure(exit.error);
    }
  }
}
