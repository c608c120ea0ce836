import type { ServerEvent } from '../protocol/index.js';

/**
 * One outgoing event, encoded at most once per wire format and shared by
 * every subscriber of a broadcast. Encodings are memoized lazily: a room with
 * only WebSocket readers never builds an SSE frame.
 */
export class EncodedEvent {
  readonly event: ServerEvent;
  /** The message's seq, 0 for events that are not messages. */
  readonly seq: number;
  /** True for messages announced live by the store (they feed the delivery-latency histogram). */
  readonly live: boolean;
  private jsonText: string | undefined;
  private sseFrame: Buffer | undefined;
  private wsPayload: Buffer | undefined;

  constructor(event: ServerEvent, live = false) {
    this.event = event;
    this.seq = event.type === 'message' ? event.seq : 0;
    this.live = live;
  }

  /** Commit time of a message, 0 otherwise. */
  get ts(): number {
    return this.event.type === 'message' ? this.event.ts : 0;
  }

  get json(): string {
    if (this.jsonText === undefined) this.jsonText = JSON.stringify(this.event);
    return this.jsonText;
  }

  /** The whole SSE frame: `event:`, `id:` (messages only), `data:` and the blank line. */
  get sse(): Buffer {
    if (this.sseFrame === undefined) {
      const id = this.seq > 0 ? `id: ${this.seq}\n` : '';
      this.sseFrame = Buffer.from(`event: ${this.event.type}\n${id}data: ${this.json}\n\n`, 'utf8');
    }
    return this.sseFrame;
  }

  /** The WebSocket text-frame payload. */
  get ws(): Buffer {
    if (this.wsPayload === undefined) this.wsPayload = Buffer.from(this.json, 'utf8');
    return this.wsPayload;
  }
}
