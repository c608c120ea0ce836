/**
 * Stops what a beforeAll started, if it got that far. A `let` that beforeAll
 * assigns is typed as always set, but after a beforeAll that failed part-way
 * it is still undefined, and an afterAll that throws on it would hide the
 * first failure.
 */
export async function stopIfStarted<T>(value: T | undefined, stop: (value: T) => unknown): Promise<void> {
  if (value !== undefined) await stop(value);
}
