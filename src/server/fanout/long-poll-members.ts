import type { PresenceTracker } from './presence-tracker.js';

interface Member {
  room: string;
  key: string;
  nick: string;
  /** Present until then (ms). */
  deadline: number;
  /** The bucket (a second) the member is filed under; it may sit there past an extended deadline. */
  bucket: number;
}

/** Seconds per expiry bucket: the sweep looks at buckets, never at every member. */
const BUCKET_MS = 1000;

/**
 * Long-poll members: a session polling with a nick is present while it polls
 * at least every `timeout + grace` seconds. A poll costs O(1): it extends a
 * deadline in place. Members are filed by the second their deadline falls
 * in; the sweep (once a second) opens only the buckets that have come due
 * and re-files members whose deadline moved on, so an idle minute costs
 * O(members whose deadline came up), not O(all members) every second.
 */
export class LongPollMembers {
  private readonly tracker: PresenceTracker;
  private readonly members = new Map<string, Member>();
  private readonly buckets = new Map<number, Set<Member>>();
  /** The first bucket not yet swept. */
  private sweptTo = Math.floor(Date.now() / BUCKET_MS);

  constructor(tracker: PresenceTracker) {
    this.tracker = tracker;
  }

  /**
   * A poll with a nick: present until `deadline`. Resolves once a new member
   * (or a new nick) is in the store.
   */
  seen(options: { room: string; key: string; nick: string; deadline: number }): Promise<void> {
    const { room, key, nick, deadline } = options;
    const id = room + '\u0000' + key;
    const m = this.members.get(id);
    if (m !== undefined) {
      if (deadline > m.deadline) m.deadline = deadline;
      if (m.nick === nick) return Promise.resolve();
      m.nick = nick;
      return this.tracker.rename(room, key, nick);
    }
    const member: Member = { room, key, nick, deadline, bucket: 0 };
    this.members.set(id, member);
    this.file(member);
    return this.tracker.acquire(room, key, nick, 'longpoll');
  }

  /** Releases the members whose deadline has passed; call about once a second. */
  sweep(now = Date.now()): void {
    const due = Math.floor(now / BUCKET_MS);
    for (let b = this.sweptTo; b < due; b++) {
      const bucket = this.buckets.get(b);
      if (bucket === undefined) continue;
      this.buckets.delete(b);
      for (const m of bucket) {
        if (m.deadline > now) {
          this.file(m);
          continue;
        }
        this.members.delete(m.room + '\u0000' + m.key);
        this.tracker.release(m.room, m.key);
      }
    }
    this.sweptTo = due;
  }

  clear(): void {
    this.members.clear();
    this.buckets.clear();
  }

  get size(): number {
    return this.members.size;
  }

  private file(m: Member): void {
    m.bucket = Math.max(this.sweptTo, Math.floor(m.deadline / BUCKET_MS));
    let bucket = this.buckets.get(m.bucket);
    if (bucket === undefined) this.buckets.set(m.bucket, (bucket = new Set()));
    bucket.add(m);
  }
}
