import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const roomsCommand: CommandModule<object, object> = {
  command: 'rooms',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('rooms is not implemented yet');
  },
};
