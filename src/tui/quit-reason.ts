/**
 * Why the TUI ended. The TUI says why; the CLI (src/cli/join.ts) decides what
 * exit code that is, so the TUI never deals in process exit codes.
 * - `left`: the user left (/quit, Ctrl+C, Ctrl+D on an empty line);
 * - `signal`: SIGINT or SIGTERM from outside;
 * - `fatal`: the client stopped on an error no retry can fix (a refused or
 *   expired token, a TLS problem, a room it may not see); the error says which.
 */
export type QuitReason = 'left' | 'signal' | 'fatal';
