import type { Logger } from '../logger.js';
import type { Connection } from '../transports/connection.js';

/**
 * Coalesces writes per socket per tick: a connection that queued anything is
 * marked dirty, and once per event-loop turn (`setImmediate`) every dirty
 * connection writes its whole queue in one batch. A broadcast to N sockets
 * thus costs N writes, however many events it carried in that tick.
 */
export class TickFlush {
  private dirty = new Set<Connection>();
  private scheduled = false;
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  schedule(conn: Connection): void {
    this.dirty.add(conn);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flushAll);
  }

  /** A closed connection writes nothing more. */
  forget(conn: Connection): void {
    this.dirty.delete(conn);
  }

  private readonly flushAll = (): void => {
    this.scheduled = false;
    const batch = this.dirty;
    this.dirty = new Set();
    for (const conn of batch) {
      try {
        conn.flush();
      } catch (err) {
        this.logger.warn({ err }, 'write failed');
        conn.close('error');
      }
    }
  };
}
