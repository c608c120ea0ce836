/**
 * Shared by the multi-room tests: URLs of `GET /events` and `GET /messages`
 * with a room cursor list, and the checks every multi-room reader must pass
 * (each room's messages once, in seq order; the SSE `id:` line is the
 * stream's cursor list after that very frame).
 */
import { expect } from 'vitest';
import { parseRoomCursors, type MessageEvent, type RoomCursor, type ServerEvent } from '../../src/protocol/index.js';
import { http, qs, type HttpOptions, type HttpResult, type Query, type SseFrame } from '../helpers/index.js';

/** `{base}/events?rooms=…&…` (the list is left readable: `,` and `:` need no escaping in a query). */
export function eventsUrl(base: string, rooms: string, query: Query = {}): string {
  const rest = qs(query);
  return `${base}/events?rooms=${rooms}${rest === '' ? '' : '&' + rest.slice(1)}`;
}

export interface MultiPollBody {
  events: ServerEvent[];
  cursor: string;
}

/** One multi-room long poll; check `status` before `body`. */
export async function pollRooms(
  base: string,
  rooms: string,
  query: Query = {},
  options: Omit<HttpOptions, 'method' | 'body'> = {},
): Promise<HttpResult & { body: MultiPollBody }> {
  const rest = qs(query);
  const res = await http(`${base}/messages?rooms=${rooms}${rest === '' ? '' : '&' + rest.slice(1)}`, options);
  return { ...res, body: res.json as MultiPollBody };
}

export function isMessage(e: ServerEvent | undefined): e is MessageEvent {
  return e?.type === 'message';
}

/** The seqs of each room's messages, in arrival order. */
export function seqsByRoom(events: readonly ServerEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (!isMessage(e)) continue;
    let list = out.get(e.room);
    if (list === undefined) out.set(e.room, (list = []));
    list.push(e.seq);
  }
  return out;
}

/** 1..n */
export function upTo(n: number, from = 1): number[] {
  return Array.from({ length: n - from + 1 }, (_, i) => i + from);
}

/**
 * Walks a multi-room stream's frames as a reader would and checks each
 * message's `id:`: it lists the stream's rooms in order; the message's own
 * room at its seq; every other room at the last seq this stream delivered of
 * it, or, before any, at its start (`start`, default 0) in its hello's epoch
 * once its hello came, or as the URL gave it before that.
 */
export function expectIdsFollowStream(
  frames: readonly SseFrame[],
  asked: readonly RoomCursor[],
  start: Record<string, number> = {},
): void {
  const rooms = asked.map((c) => c.room);
  const expected = new Map<string, RoomCursor>(asked.map((c) => [c.room, c]));
  let checked = 0;
  for (const f of frames) {
    const e = f.json;
    if (e?.type === 'hello') expected.set(e.room, { room: e.room, after: start[e.room] ?? 0, epoch: e.epoch });
    if (!isMessage(e)) continue;
    const now = expected.get(e.room)!;
    expected.set(e.room, { room: e.room, after: e.seq, epoch: now.epoch! });
    expect(f.id, `message ${e.room}#${e.seq} has an id`).toBeDefined();
    const list = parseRoomCursors(f.id!);
    expect(list.map((c) => c.room)).toEqual(rooms);
    expect(list, `id of ${e.room}#${e.seq}`).toEqual(rooms.map((r) => expected.get(r)));
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}

/** The room an event belongs to, '' for one that names none (pong, an error without a room). */
export function roomOf(e: ServerEvent): string {
  return 'room' in e && typeof e.room === 'string' ? e.room : '';
}
