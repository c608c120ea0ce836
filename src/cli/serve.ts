import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SERVER_DEFAULTS } from '../server/defaults.js';
import { checkArgs, LOG_LEVELS, type ServeArgs } from './serve-args.js';

/** Every default shown by `--help` comes from the server's own table. */
const D = SERVER_DEFAULTS;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'run the chat server (long polling, SSE and WebSocket on one port)',
  builder: (y: Argv) =>
    y
      .option('host', { type: 'string', default: D.host, describe: 'address to listen on' })
      .option('port', { type: 'number', default: D.port, describe: 'port to listen on (0 picks a free one)' })
      .option('data', {
        type: 'string',
        describe: 'data directory [default: $XDG_DATA_HOME/rtchat or ~/.local/share/rtchat]',
      })
      .option('memory', { type: 'boolean', default: false, describe: 'keep everything in memory (nothing on disk)' })
      .option('history', {
        type: 'number',
        default: D.history,
        describe: 'messages sent to a reader that gives no cursor',
      })
      .option('retain', { type: 'number', default: D.retain, describe: 'messages kept per room' })
      .option('token', { type: 'string', describe: 'require this bearer token on every endpoint but /healthz' })
      .option('redis', { type: 'string', describe: 'share rooms through Redis at this URL (scale-out mode)' })
      .option('search-scan', {
        type: 'number',
        default: D.searchScan,
        describe: 'with --redis: messages one search reads at most, newest first (SQLite has a full-text index)',
      })
      .option('log-level', {
        type: 'string',
        choices: LOG_LEVELS,
        default: 'info',
        describe: 'log level (logs go to stderr)',
      })
      .option('max-connections', {
        type: 'number',
        describe:
          'open WebSockets, SSE streams and held polls, all clients (more: 503)' +
          ` [default: ${D.limits.maxConnections}]`,
      })
      .option('max-connections-per-ip', {
        type: 'number',
        describe: `the same per client address (more: 429) [default: ${D.limits.maxConnectionsPerIp}]`,
      })
      .option('max-rooms-per-socket', {
        type: 'number',
        describe: `rooms per WebSocket or multi-room stream or poll [default: ${D.limits.maxRoomsPerSocket}]`,
      })
      .option('max-polls-per-session', {
        type: 'number',
        describe: `held long polls per session (more: 429) [default: ${D.limits.maxPollsPerSession}]`,
      })
      .option('heartbeat-ms', {
        type: 'number',
        default: D.heartbeatMs,
        describe: 'WebSocket ping and SSE comment period, in ms; also how often slow readers are judged',
      })
      .option('slow-reader-ms', {
        type: 'number',
        default: D.limits.slowReaderMs,
        describe: 'close a reader whose buffer stays full this long, in ms (it resumes from its cursor)',
      })
      .option('presence-list-max', {
        type: 'number',
        default: D.presenceListMax,
        describe: 'presence events list members up to this many; above it only the count',
      })
      .option('presence-interval', {
        type: 'number',
        default: D.presenceIntervalMs,
        describe: 'shortest gap between two presence events of one room, in ms',
      })
      .option('backlog', {
        type: 'number',
        default: D.backlog,
        describe: 'listen backlog (capped by net.core.somaxconn)',
      })
      .option('trust-proxy', {
        type: 'string',
        describe:
          'proxies in front, ADDR[,ADDR|CIDR...]: only for requests from them is the client address ' +
          'read from --trust-proxy-header [default: none]',
      })
      .option('trust-proxy-header', {
        type: 'string',
        choices: ['x-forwarded-for', 'forwarded'] as const,
        default: 'x-forwarded-for' as const,
        describe: 'the header the trusted proxies set (Forwarded: RFC 7239)',
      })
      .option('drain-ms', {
        type: 'number',
        default: D.drainMs,
        describe: 'on SIGTERM, keep serving this many ms with /healthz at 503 before closing (for a balancer)',
      })
      .option('tls-cert', {
        type: 'string',
        describe: 'PEM certificate chain: serve https and wss on the port (needs --tls-key)',
      })
      .option('tls-key', { type: 'string', describe: 'PEM private key of --tls-cert' })
      .option('guests', {
        type: 'boolean',
        default: false,
        describe: 'while accounts exist, admit people without one (shown as ~nick)',
      })
      .option('jwt-secret', { type: 'string', describe: 'accept HS256 JWTs signed with this secret (sub = account)' })
      .option('cors', {
        type: 'string',
        describe: 'answer CORS preflights for these browser origins (comma-separated)',
      })
      .option('jwt-public-key', {
        type: 'string',
        describe: 'accept RS256/ES256 JWTs signed for this PEM public key file',
      })
      .example('$0 serve --port 0 --memory', 'a throwaway server on a free port')
      .example('$0 serve --tls-cert cert.pem --tls-key key.pem', 'https and wss on port 7878')
      .example(
        'RTCHAT_TOKEN=s3cret $0 serve --host 0.0.0.0',
        'every flag also reads RTCHAT_<FLAG>',
      ) as unknown as Argv<ServeArgs>,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    checkArgs(args);
    const { runServe } = await import('./serve-run.js');
    await runServe(args);
  },
};
