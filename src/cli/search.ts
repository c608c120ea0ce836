import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withClientOptions } from './common-options.js';
import { EXIT_HELP } from './exit-codes.js';
import type { SearchArgs } from './search-run.js';

export const searchCommand: CommandModule<object, SearchArgs> = {
  command: 'search [query..]',
  describe: "search a room's history: messages with every word, newest first",
  builder: (y: Argv) =>
    withClientOptions(y)
      .positional('query', {
        type: 'string',
        array: true,
        describe: 'the words to find (all of them, any case); word* finds words starting with it',
      })
      .option('limit', { type: 'number', describe: 'hits per page, 1..100 (server default 20)' })
      .option('before', { type: 'number', describe: 'only messages with a seq below this (the next page)' })
      .example('$0 search --room ops deploy failed', 'messages of ops with both words')
      .example('$0 search --room ops "deploy*" --json | jq -r .text', 'texts of the hits, for scripts')
      .example('$0 search --room ops deploy --before 120', 'the page below seq 120')
      .example('$0 search --room ops -- -1 --force', 'words that start with "-" go after --')
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<SearchArgs>) => {
    const { runSearch } = await import('./search-run.js');
    await runSearch(args);
  },
};
