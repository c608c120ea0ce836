/**
 * The yargs program. Command modules are light: each one imports its heavy
 * parts (server, Ink, client transports) inside its handler, so `rtchat send`
 * never pays for React.
 */
import yargs, { type Arguments } from 'yargs';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';
import { benchCommand } from './bench.js';
import { joinCommand } from './join.js';
import { roomsCommand } from './rooms.js';
import { searchCommand } from './search.js';
import { sendCommand } from './send.js';
import { serveCommand } from './serve.js';
import { tailCommand } from './tail.js';
import { unreadCommand } from './unread.js';
import { explainUsage, type ParseContext } from './usage-errors.js';
import { whoCommand } from './who.js';
import { loginCommand, logoutCommand } from './login.js';
import { roomAdminCommand } from './room-admin.js';
import { userCommand } from './user.js';

/**
 * `.env('RTCHAT')` turns every RTCHAT_* variable into an option, and
 * `.strict()` would then reject the unrelated ones (RTCHAT_DEBUG, a test
 * knob) as unknown arguments. Drop env-born keys the command does not know;
 * unknown *flags* stay usage errors.
 */
function dropUnknownEnv(argv: Arguments, y?: unknown): void {
  const known = knownOptions(y);
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('RTCHAT_') || value === undefined) continue;
    const snake = name.slice('RTCHAT_'.length).toLowerCase();
    const camel = snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const kebab = snake.replace(/_/g, '-');
    if (known.has(camel) || known.has(kebab) || known.has(snake)) continue;
    // A middleware edits yargs' own argv object in place: deleting its keys is the way.
    /* eslint-disable @typescript-eslint/no-dynamic-delete */
    delete argv[camel];
    delete argv[kebab];
    delete argv[snake];
    /* eslint-enable @typescript-eslint/no-dynamic-delete */
  }
}

/** yargs 18 passes itself to middleware; its typings (17) do not say so. */
function knownOptions(y: unknown): Set<string> {
  if (typeof y !== 'object' || y === null || !('getOptions' in y) || typeof y.getOptions !== 'function') {
    return new Set();
  }
  const options = (y as { getOptions(): unknown }).getOptions();
  if (typeof options !== 'object' || options === null || !('key' in options)) return new Set();
  const keys = options.key;
  return new Set(typeof keys === 'object' && keys !== null ? Object.keys(keys) : []);
}

/** The top-level commands, for "unknown command" suggestions. */
const COMMANDS = ['serve', 'join', 'send', 'tail', 'rooms', 'who', 'unread', 'search', 'bench', 'completion'] as const;

export async function main(argv: string[]): Promise<void> {
  // What the parse saw, kept for the failure message (yargs does not hand it to .fail()).
  let seen: ParseContext | undefined;
  const remember = (args: Arguments, y?: unknown): void => {
    seen = { positionals: args._.map(String), options: [...knownOptions(y)] };
  };
  const program = yargs(argv)
    .scriptName('rtchat')
    // Fixed, so that failure messages can be read and rephrased (and help is not half translated).
    .locale('en')
    .env('RTCHAT')
    .usage('$0 <command> [options]')
    .command(serveCommand)
    .command(joinCommand)
    .command(sendCommand)
    .command(tailCommand)
    .command(roomsCommand)
    .command(whoCommand)
    .command(unreadCommand)
    .command(searchCommand)
    .command(userCommand)
    .command(roomAdminCommand)
    .command(loginCommand)
    .command(logoutCommand)
    .command(benchCommand)
    .middleware(dropUnknownEnv, true)
    .middleware(remember, true)
    .demandCommand(1, `a command is needed: ${COMMANDS.slice(0, -1).join(', ')} (rtchat --help)`)
    .strict()
    .completion('completion', 'print a shell completion script (bash/zsh)')
    .epilogue(EXIT_HELP)
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    // yargs' typings say `err` is always set; a usage failure (the common case) has none.
    .fail((msg, err: Error | undefined) => {
      if (err) throw err;
      process.stderr.write(`rtchat: ${explainUsage(msg, argv, seen, COMMANDS)}\n`);
      process.exit(EXIT.usage);
    });
  try {
    await program.parseAsync();
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`rtchat: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`rtchat: ${message}\n`);
    if (process.env.RTCHAT_DEBUG) console.error(err);
    process.exit(EXIT.error);
  }
}
