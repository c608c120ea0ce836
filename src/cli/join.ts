import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const joinCommand: CommandModule<object, object> = {
  command: 'join',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('join is not implemented yet');
  },
};
