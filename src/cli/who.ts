import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions, type ClientArgs } from './common-options.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';

interface WhoArgs extends ClientArgs {
  limit?: number | undefined;
  offset?: number | undefined;
}

export const whoCommand: CommandModule<object, WhoArgs> = {
  command: 'who',
  describe: 'list who is in a room, with their transport and since when',
  builder: (y: Argv) =>
    withClientOptions(y)
      .option('limit', {
        type: 'number',
        describe: 'members per page, oldest first (server default 100, at most 1000)',
      })
      .option('offset', { type: 'number', describe: 'skip this many members (the next page of a big room)' })
      .example('$0 who --room ops', 'members of ops')
      .example('$0 who --room lobby --offset 100', 'the second page of a big room')
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<WhoArgs>) => {
    const { checkRoom } = await import('./arg-checks.js');
    const { runListing } = await import('./listing-run.js');
    const { jsonLine } = await import('./line-output.js');
    const { ago } = await import('./table-output.js');
    const room = checkRoom(args.room);
    const page = new URLSearchParams();
    for (const [name, v] of [
      ['limit', args.limit],
      ['offset', args.offset],
    ] as const) {
      if (v === undefined) continue;
      if (!Number.isInteger(v) || v < 0) throw new CliError(`--${name} must be a whole number, 0 or more`, EXIT.usage);
      page.set(name, String(v));
    }
    const query = page.size > 0 ? `?${page.toString()}` : '';
    await runListing({
      args,
      path: `/rooms/${room}/presence${query}`,
      field: 'members',
      json: (body) => jsonLine(body),
      header: ['NICK', 'VIA', 'SINCE'],
      row: (m, now) => [String(m.nick), String(m.via), typeof m.since === 'number' ? ago(now - m.since) : '?'],
      // A big room is paged (protocol 1.1): say how many there are and how to see the rest.
      footer: (body, items) => {
        if (body.truncated !== true || typeof body.count !== 'number') return undefined;
        const from = (args.offset ?? 0) + 1;
        const to = from + items.length - 1;
        const count = body.count.toLocaleString('en-US');
        return `members ${from}–${to} of ${count}; --offset ${to} for the next page`;
      },
    });
  },
};
