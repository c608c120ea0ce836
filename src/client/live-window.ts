/**
 * Which received messages count for the delivery figure: live ones only.
 * History replayed on a join (`/join`, the first connect) and the backlog
 * replayed after a reconnect measure how long the client was away, not how
 * fast the network is, so they are left out.
 */
export class LiveWindow {
  /** Local ms since which messages count (the connect or the join). */
  private since = Infinity;
  /** `hello.head` of the last join answered: a message at or below it is history or backlog. */
  private after = Number.MAX_SAFE_INTEGER;

  /** A transport came online; `fresh` when it did not replace a working one. */
  online(fresh: boolean, now = Date.now()): void {
    if (fresh) this.since = now;
  }

  /** The client moves to another room: nothing is live until its hello. */
  joining(now = Date.now()): void {
    this.since = now;
    this.after = Number.MAX_SAFE_INTEGER;
  }

  hello(head: number): void {
    this.after = head;
  }

  /**
   * @param seq the message's seq
   * @param ts the server's stamp, ms
   * @param offsetMs server clock minus local clock; undefined while unknown
   */
  isLive(seq: number, ts: number, offsetMs: number | undefined): boolean {
    return seq > this.after && offsetMs !== undefined && ts - offsetMs >= this.since;
  }
}
