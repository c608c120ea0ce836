/**
 * Numbers fixed by protocol v1 (docs/protocol.md). Server options may lower
 * some of them; none may be raised past what the contract promises clients.
 */
export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Longest message text, in Unicode code points. */
  maxText: 4000,
  /** Longest nick, in Unicode code points. */
  maxNick: 32,
  /** Largest HTTP request body, in bytes; larger gets 413 too_large. */
  maxBody: 64 * 1024,
  /** Largest WebSocket frame, in bytes; larger closes with 1009. */
  maxFrame: 64 * 1024,
  /** Messages sent without `after` before live ones (`rtchat serve --history`). */
  history: 50,
  /** Messages kept per room (`rtchat serve --retain`). */
  retain: 100_000,
  /** Long-poll hold time, in seconds: default and maximum. */
  pollTimeout: 25,
  maxPollTimeout: 55,
  /** Messages per long-poll answer: default and maximum. */
  pollLimit: 1000,
  /** Extra grace, in seconds, before a silent long-poll member leaves. */
  pollPresenceGrace: 10,
  /** Presence lists at most this many members; above it only `count` (`rtchat serve --presence-list-max`). */
  presenceListMax: 100,
  /** Shortest gap between two presence events of one room, in ms (`rtchat serve --presence-interval`). */
  presenceIntervalMs: 1000,
  /** `GET /rooms/{room}/presence` page size: default and maximum. */
  presencePage: 100,
  maxPresencePage: 1000,
  /**
   * Heartbeat period, in ms: a WebSocket ping and an SSE `: ping` comment go out this often (the contract
   * says at least every 15 s). A client that hears nothing for twice this long takes the server for dead.
   */
  heartbeatMs: 15_000,
  /** The `retry:` an SSE stream starts with, in ms. */
  sseRetryMs: 1000,
  /** Rate limit: burst and sustained sends per second, per session. */
  rateBurst: 40,
  ratePerSecond: 20,
  /** How long a `cid` stays idempotent, in ms (at least 10 minutes). */
  cidTtlMs: 10 * 60 * 1000,
} as const;

export const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const SESSION_RE = /^[A-Za-z0-9_-]{16,64}$/;
export const CID_RE = /^[A-Za-z0-9_-]{1,64}$/;
