/**
 * The name of the direct-message room of two accounts. Both sides (and the
 * server) derive it alone, so `/msg bob` from either end lands in one room.
 * A hash rather than `dm-ann-bob`: account names may hold `-` and `_` (so a
 * joined name is ambiguous) and two 32-character names would not fit the
 * 64-character room limit.
 */
import { createHash } from 'node:crypto';

/** Rooms whose name starts with this are DM rooms: reserved, made only by `POST /dms`. */
export const DM_PREFIX = 'dm-';

/**
 * `dm-` + the first 24 hex characters (96 bits) of sha256(`a\nb`), where `a`
 * sorts before `b`. Order-free: dmRoomName('ann','bob') === dmRoomName('bob','ann').
 */
export function dmRoomName(one: string, other: string): string {
  const [a, b] = one < other ? [one, other] : [other, one];
  return DM_PREFIX + createHash('sha256').update(`${a}\n${b}`).digest('hex').slice(0, 24);
}

/** True for a name in the reserved DM namespace. */
export function isDmRoom(room: string): boolean {
  return room.startsWith(DM_PREFIX);
}

/** `POST /dms` answer (201 when opened now, 200 when it existed). */
export interface DmOpenedEvent {
  type: 'dm';
  room: string;
  /** The other account. */
  peer: string;
}

/** One entry of `GET /dms`. */
export interface DmSummary {
  room: string;
  peer: string;
  /** Highest seq stored in the DM room, 0 when empty. */
  head: number;
}
