import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';
import type { NumberedLine } from './stdin-lines.js';

interface SendArgs extends ClientArgs {
  text?: string[] | undefined;
  timeout: number;
  to?: string | undefined;
}

export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send [text..]',
  describe: 'send one message (the arguments) or one per stdin line; prints each stored seq',
  builder: (y: Argv) =>
    withClientOptions(y)
      .positional('text', {
        type: 'string',
        array: true,
        describe: 'message text (joined by spaces); else stdin lines',
      })
      .option('to', {
        type: 'string',
        describe: 'send a direct message to this account (opens the DM room; instead of --room)',
      })
      .option('timeout', {
        type: 'number',
        default: 10,
        describe: 'seconds to wait for each ack before giving up with exit 4',
      })
      .example('$0 send "deploy done"', 'send one message to lobby')
      .example('some-job | $0 send --room ops', 'send each output line')
      .example('$0 send --json hi', 'print the ack as JSON')
      .example('$0 send --to bob "lunch?"', 'a direct message to the account bob')
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<SendArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { checkNick, checkRoom } = await import('./arg-checks.js');
    const servers = parseServers(args.server);
    // Loaded only for a DM: a plain send stays as light as it was.
    const peer = args.to !== undefined ? (await import('./dm-open.js')).checkPeer(args.to) : undefined;
    // --room has a default, so yargs' conflicts() cannot tell it was given: look at the command line itself.
    if (peer !== undefined && process.argv.some((a) => a === '--room' || a.startsWith('--room=')))
      throw new CliError('--to sends to a DM: give --to or --room, not both', EXIT.usage);
    let room = peer === undefined ? checkRoom(args.room) : '';
    const nick = checkNick(args.nick);
    const { resolveClientAuth } = await import('./client-auth.js');
    const auth = resolveClientAuth(args, servers);
    if (!(args.timeout > 0)) throw new CliError('--timeout must be a positive number of seconds', EXIT.usage);
    let texts: Iterable<NumberedLine> | AsyncIterable<NumberedLine>;
    // Words after `--` (for a text that starts with a dash) land in `_`, after the command name.
    const words = [...(args.text ?? []), ...args._.slice(1)].map(String);
    if (words.length > 0) {
      const text = words.join(' ');
      if (text === '') throw new CliError('the message is empty', EXIT.usage);
      texts = [{ line: 1, text }];
    } else if (process.stdin.isTTY) {
      throw new CliError('nothing to send: give the text as arguments or pipe lines in', EXIT.usage);
    } else {
      const { readNumberedLines } = await import('./stdin-lines.js');
      texts = readNumberedLines(process.stdin);
    }
    const { guardStdout } = await import('./line-output.js');
    guardStdout();
    let to = servers;
    let lastSeq = 0;
    if (peer !== undefined) {
      const { openDmRoom } = await import('./dm-open.js');
      const { preferServer } = await import('./http-errors.js');
      const dm = await openDmRoom({ servers, to: peer, ...auth });
      room = dm.room;
      to = preferServer(servers, dm.server);
    }
    const { runSend } = await import('./send-run.js');
    const code = await runSend({
      servers: to,
      room,
      nick,
      ...auth,
      json: args.json,
      texts,
      numbered: words.length === 0,
      ackTimeoutMs: args.timeout * 1000,
      onAck: (ack) => (lastSeq = Math.max(lastSeq, ack.seq)),
    });
    if (peer !== undefined && lastSeq > 0) {
      // Sending is reading: the DM is read up to one's own last message, or it would count as unread.
      const { markDmRead } = await import('./dm-open.js');
      await markDmRead({ servers: to, room, seq: lastSeq, ...auth });
    }
    process.exit(code);
  },
};
