import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const tailCommand: CommandModule<object, object> = {
  command: 'tail',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('tail is not implemented yet');
  },
};
