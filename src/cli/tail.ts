import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ViaChoice } from '../client/types.js';
import { useColor, withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';

interface TailArgs extends ClientArgs {
  since?: string | undefined;
  count?: number | undefined;
  timeout?: number | undefined;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new CliError(message, EXIT.usage);
}

export const tailCommand: CommandModule<object, TailArgs> = {
  command: 'tail',
  describe: 'print messages as they come (recent history first), one per line',
  builder: (y: Argv) =>
    withClientOptions(y)
      .option('since', {
        type: 'string',
        describe: 'print the messages after this seq (resume point), or only new ones with "now" (no history)',
      })
      .option('count', { type: 'number', describe: 'exit 0 after this many messages' })
      .option('timeout', { type: 'number', describe: 'exit after this many seconds (exit 4 when short of --count)' })
      .example('$0 tail --json | jq -r .text', 'message texts, live')
      .example('$0 tail --since 41 --count 1 --timeout 30', 'wait for the next message after seq 41')
      .example('$0 tail --since now', 'only messages sent from now on')
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<TailArgs>) => {
    check(
      args.count === undefined || (Number.isSafeInteger(args.count) && args.count >= 1),
      '--count must be an integer >= 1',
    );
    check(args.timeout === undefined || args.timeout > 0, '--timeout must be a positive number of seconds');
    const { parseServers } = await import('./server-list.js');
    const { checkRoom, parseSince } = await import('./arg-checks.js');
    const since = parseSince(args.since);
    const servers = parseServers(args.server);
    const room = checkRoom(args.room);
    const { resolveClientAuth } = await import('./client-auth.js');
    const auth = resolveClientAuth(args, servers);
    const { guardStdout } = await import('./line-output.js');
    guardStdout();
    const { runTail } = await import('./tail-run.js');
    const code = await runTail({
      servers,
      room,
      nick: args.nick,
      ...auth,
      via: args.via as ViaChoice,
      json: args.json,
      color: useColor(),
      since,
      count: args.count,
      timeoutMs: args.timeout === undefined ? undefined : args.timeout * 1000,
    });
    process.exit(code);
  },
};
