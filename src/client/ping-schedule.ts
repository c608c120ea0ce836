/**
 * When the client measures RTT. A ping is a packet each way, and on a phone
 * every packet after a quiet spell wakes the radio, which then stays in its
 * high-power state for seconds: a ping every 5 s keeps it awake for good. So
 * pings are frequent (`activeMs`) only while someone looks at the figures
 * (the latency panel is open: `setFocus(true)`) or just after activity (a
 * send or a received message, when the radio is awake anyway), and otherwise
 * come every `idleMs`, never more often than the server's heartbeat. One
 * timer; `activity()` is O(1), cheap enough for every message.
 */

export interface PingScheduleOptions {
  /** Period while focused or just after activity, ms. Default 5000. */
  activeMs?: number;
  /** Period otherwise, ms. Default 60000; raised to `heartbeatMs` and `activeMs` if below them. */
  idleMs?: number;
  /** The server's heartbeat period, ms: idle pings never come more often. Default 15000. */
  heartbeatMs?: number;
  /** How long a send or a received message keeps the active period, ms. Default 15000. */
  activeWindowMs?: number;
}

export class PingSchedule {
  readonly activeMs: number;
  readonly idleMs: number;
  readonly activeWindowMs: number;
  private running = false;
  private focused = false;
  private lastPing = -Infinity;
  private lastActivity = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (Date.now() ms); Infinity when none is armed. */
  private armedFor = Infinity;

  /** @param ping starts one RTT measurement; it must not throw. */
  constructor(
    options: PingScheduleOptions,
    private readonly ping: () => void,
  ) {
    this.activeMs = Math.max(1, options.activeMs ?? 5000);
    this.idleMs = Math.max(options.idleMs ?? 60_000, options.heartbeatMs ?? 15_000, this.activeMs);
    this.activeWindowMs = Math.max(0, options.activeWindowMs ?? 15_000);
  }

  /** The period in force at `now`, ms. */
  period(now = Date.now()): number {
    return this.focused || now - this.lastActivity < this.activeWindowMs ? this.activeMs : this.idleMs;
  }

  /** Online: pings at once (a fresh connection needs RTT and clock offset), then on schedule. */
  start(): void {
    this.running = true;
    this.lastPing = -Infinity;
    this.fire();
  }

  /** Offline or stopped: no pings until `start()`. */
  stop(): void {
    this.running = false;
    this.disarm();
  }

  /** The latency figures are on screen (true) or not: pings come every `activeMs` while they are. */
  setFocus(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    this.reschedule();
  }

  /** A send or a received message: the active period holds for `activeWindowMs` from now. */
  activity(): void {
    this.lastActivity = Date.now();
    if (this.running && this.lastPing + this.activeMs < this.armedFor) this.reschedule();
  }

  private fire(): void {
    this.disarm();
    if (!this.running) return;
    const now = Date.now();
    if (now >= this.lastPing + this.period(now)) {
      this.lastPing = now;
      this.ping();
    }
    this.reschedule();
  }

  /** Arms the timer for the next due ping if that is sooner than the one armed. */
  private reschedule(): void {
    if (!this.running) return;
    const now = Date.now();
    const at = Math.max(now, this.lastPing + this.period(now));
    if (at >= this.armedFor) return;
    this.disarm();
    this.armedFor = at;
    this.timer = setTimeout(() => this.fire(), at - now);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }
}
