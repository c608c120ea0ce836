import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const sendCommand: CommandModule<object, object> = {
  command: 'send',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('send is not implemented yet');
  },
};
