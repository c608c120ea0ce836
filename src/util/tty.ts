/**
 * Whether a stream is a terminal. @types/node declares `isTTY` on
 * process.stdout and process.stderr as always set, but a pipe or a file
 * has none (undefined) at run time: hence the wider parameter type.
 */
export function isTty(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}
