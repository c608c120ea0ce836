/**
 * The yargs program. Command modules are light: each one imports its heavy
 * parts (server, Ink, client transports) inside its handler, so `rtchat send`
 * never pays for React.
 */
import yargs from 'yargs';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';
import { benchCommand } from './bench.js';
import { joinCommand } from './join.js';
import { roomsCommand } from './rooms.js';
import { sendCommand } from './send.js';
import { serveCommand } from './serve.js';
import { tailCommand } from './tail.js';
import { whoCommand } from './who.js';

export async function main(argv: string[]): Promise<void> {
  const program = yargs(argv)
    .scriptName('rtchat')
    .env('RTCHAT')
    .usage('$0 <command> [options]')
    .command(serveCommand)
    .command(joinCommand)
    .command(sendCommand)
    .command(tailCommand)
    .command(roomsCommand)
    .command(whoCommand)
    .command(benchCommand)
    .demandCommand(1, 'rtchat: a command is needed (try rtchat --help)')
    .strict()
    .completion('completion', 'print a shell completion script (bash/zsh)')
    .epilogue(EXIT_HELP)
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`rtchat: ${msg}\n`);
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
