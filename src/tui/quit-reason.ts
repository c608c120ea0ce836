/**
 * Why the TUI ended. The TUI says why; the CLI (src/cli/join.ts) decides what
 * exit code that is, so the TUI never deals in process exit codes.
 * - `left`: the user left (/quit, Ctrl+C, Ctrl+D on an empty line);
 * - `signal`: SIGINT or SIGTERM from outside;
 * - `unauthorized`: the server refused the token, which no retry can fix.
 */
export type QuitReason = 'left' | 'signal' | 'unauthorized';
