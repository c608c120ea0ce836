/** Checks a `retain` option: messages kept per room, a positive integer. */
export function checkRetain(retain: number): number {
  if (!Number.isSafeInteger(retain) || retain < 1) {
    throw new RangeError(`retain must be a positive integer, got ${retain}`);
  }
  return retain;
}
