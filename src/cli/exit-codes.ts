/** Exit codes of every rtchat command; documented in the README and `--help`. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  /** The server cannot be reached, or refused the token. */
  unreachable: 3,
  /** `tail --timeout` ended short of `--count`, or a send was never acked. */
  timeout: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_HELP = `Exit codes:
  0    success
  1    error
  2    usage
  3    the server cannot be reached, or refused the token
  4    timeout (tail --timeout short of --count, or a send never acked)
  130  interrupted`;

/**
 * A user-facing failure: printed as one `rtchat: …` line on stderr, never as
 * a stack trace, and turned into its exit code.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = EXIT.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
