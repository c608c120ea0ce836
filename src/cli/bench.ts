import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const benchCommand: CommandModule<object, object> = {
  command: 'bench',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('bench is not implemented yet');
  },
};
