/**
 * Batches work that arrives in the same tick into one commit. `push` queues an
 * item and schedules a flush with `setImmediate`, which runs after the I/O
 * callbacks of the current loop turn: every send read from the network in that
 * turn shares one transaction (and one fsync).
 */

/** Marks the outcome of one item that fails alone (e.g. a cid conflict). */
export class Rejected {
  constructor(readonly error: unknown) {}
}

/**
 * Commits a whole batch and returns one outcome per item, in order (a result,
 * or a `Rejected` for an item that fails alone). Throwing
 * rejects every item of the batch (nothing was committed).
 */
export type CommitBatch<I, R> = (items: readonly I[]) => Array<R | Rejected>;

export class GroupCommit<I, R> {
  private items: I[] = [];
  private resolvers: Array<(value: R) => void> = [];
  private rejecters: Array<(error: unknown) => void> = [];
  private scheduled = false;
  private readonly commit: CommitBatch<I, R>;
  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(commit: CommitBatch<I, R>) {
    this.commit = commit;
  }

  /** Number of items waiting for the next flush. */
  get pending(): number {
    return this.items.length;
  }

  push(item: I): Promise<R> {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
    return new Promise<R>((resolve, reject) => {
      this.items.push(item);
      this.resolvers.push(resolve);
      this.rejecters.push(reject);
    });
  }

  /** Commits what is queued now, synchronously (also used by `close`). */
  flush(): void {
    const items = this.items;
    if (items.length === 0) return;
    const resolvers = this.resolvers;
    const rejecters = this.rejecters;
    this.items = [];
    this.resolvers = [];
    this.rejecters = [];
    let outcomes: Array<R | Rejected>;
    try {
      outcomes = this.commit(items);
    } catch (err) {
      for (const reject of rejecters) reject(err);
      return;
    }
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome instanceof Rejected) rejecters[i]!(outcome.error);
      else resolvers[i]!(outcome);
    }
  }
}
