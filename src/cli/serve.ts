import type { CommandModule } from 'yargs';
import { CliError } from './exit-codes.js';

// Placeholder until its issue lands; replaced by the real command.
export const serveCommand: CommandModule<object, object> = {
  command: 'serve',
  describe: '(not yet available)',
  handler: () => {
    throw new CliError('serve is not implemented yet');
  },
};
