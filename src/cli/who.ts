import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const whoCommand: CommandModule<object, object> = {
  command: 'who',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('who is not implemented yet');
  },
};
