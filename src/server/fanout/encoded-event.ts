import type { ServerEvent } from '../../protocol/index.js';

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
  /**
   * Only on a connection's own `hello` (never shared): the seq after which that
   * connection's messages of the room start, so a multi-room SSE stream can put
   * the room's position in its `id:` lines before the room's first message.
   */
  readonly start: number | undefined;
  private jsonText: string | undefined;
  private sseBytes: Buffer | undefined;
  private sseBodyBytes: Buffer | undefined;
  private wsBytes: Buffer | undefined;

  constructor(event: ServerEvent, live = false, start?: number) {
    this.event = event;
    this.seq = event.type === 'message' ? event.seq : 0;
    this.live = live;
    this.start = start;
  }

  /** Commit time of a message, 0 otherwise. */
  get ts(): number {
    return this.event.type === 'message' ? this.event.ts : 0;
  }

  get json(): string {
    if (this.jsonText === undefined) this.jsonText = JSON.stringify(this.event);
    return this.jsonText;
  }

  /** The whole SSE frame, UTF-8: `event:`, `id:` (messages only), `data:` and the blank line. */
  get sseFrame(): Buffer {
    if (this.sseBytes === undefined) {
      const id = this.seq > 0 ? `id: ${this.seq}\n` : '';
      this.sseBytes = Buffer.from(`event: ${this.event.type}\n${id}data: ${this.json}\n\n`, 'utf8');
    }
    return this.sseBytes;
  }

  /**
   * The SSE frame without an `id:` line (`event:`, `data:`, blank line), for a
   * multi-room stream, which writes its own per-connection `id:` line just before
   * it. The same bytes as `sseFrame` for events other than messages.
   */
  get sseBody(): Buffer {
    if (this.seq === 0) return this.sseFrame;
    this.sseBodyBytes ??= Buffer.from(`event: ${this.event.type}\ndata: ${this.json}\n\n`, 'utf8');
    return this.sseBodyBytes;
  }

  /** The payload of a WebSocket text frame: the JSON, UTF-8 (ws adds the frame header). */
  get wsPayload(): Buffer {
    if (this.wsBytes === undefined) this.wsBytes = Buffer.from(this.json, 'utf8');
    return this.wsBytes;
  }
}
