/**
 * `rtchat login --server URL` saves a token for that server in the
 * credentials file (see credentials.ts), after checking with the server who
 * it proves (`GET /auth/whoami`). The token comes from `--token`, else from
 * the first line of stdin (so it stays out of the shell history).
 * `rtchat logout --server URL` forgets it.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT_HELP } from './exit-codes.js';

interface LoginArgs {
  server: string;
  token?: string | undefined;
  ca?: string | undefined;
}

function builder(y: Argv) {
  return y
    .option('server', { type: 'string', demandOption: true, describe: 'server base URL' })
    .option('token', { type: 'string', describe: 'the token [default: read from stdin]' })
    .option('ca', { type: 'string', describe: 'PEM file of a CA to trust for https (besides the system CAs)' });
}

async function readTokenFromStdin(): Promise<string> {
  const { CliError, EXIT } = await import('./exit-codes.js');
  if (process.stdin.isTTY) process.stderr.write('token: ');
  const { readLines } = await import('./stdin-lines.js');
  for await (const line of readLines(process.stdin)) {
    const t = line.trim();
    if (t !== '') return t;
  }
  throw new CliError('no token given (--token, or one line on stdin)', EXIT.usage);
}

export const loginCommand: CommandModule<object, LoginArgs> = {
  command: 'login',
  describe: 'save a token for a server; client commands then use it without --token',
  builder: (y: Argv) =>
    builder(y)
      .example('rtchat user add ann | $0 login --server https://chat.example:7878', "ann's new token, saved")
      .epilogue(EXIT_HELP),
  handler: async (args: ArgumentsCamelCase<LoginArgs>) => {
    const { CliError, EXIT } = await import('./exit-codes.js');
    const { parseServers } = await import('./server-list.js');
    const servers = parseServers(args.server);
    if (servers.length !== 1) throw new CliError('login: give one server', EXIT.usage);
    const server = servers[0] ?? '';
    const token = args.token !== undefined && args.token !== '' ? args.token : await readTokenFromStdin();
    const { readCaFile } = await import('./tls-files.js');
    const { trustedCas } = await import('../client/tls-trust.js');
    const ca = trustedCas(args.ca ? readCaFile(args.ca) : undefined);
    const { callFirstReachable, httpError } = await import('./http-errors.js');
    const { res } = await callFirstReachable({ servers, path: '/auth/whoami', token, ca });
    if (res.status !== 200) throw httpError(server, res);
    const { isRecord } = await import('../protocol/validate.js');
    const body = res.body;
    const who = isRecord(body) && body.kind === 'account' && typeof body.name === 'string' ? body.name : undefined;
    const { saveCredential, credentialsFile } = await import('./credentials.js');
    saveCredential(server, token);
    const { note } = await import('./line-output.js');
    note(`logged in to ${server}${who ? ` as ${who}` : ''}; token saved in ${credentialsFile()}`);
  },
};

export const logoutCommand: CommandModule<object, LoginArgs> = {
  command: 'logout',
  describe: 'forget the token saved for a server',
  builder: (y: Argv) => builder(y),
  handler: async (args: ArgumentsCamelCase<LoginArgs>) => {
    const { parseServers } = await import('./server-list.js');
    const { removeCredential } = await import('./credentials.js');
    const { note } = await import('./line-output.js');
    for (const server of parseServers(args.server)) {
      note(removeCredential(server) ? `forgot the token for ${server}` : `no token saved for ${server}`);
    }
  },
};
