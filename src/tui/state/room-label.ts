/**
 * How the screen names a room: `#ops`, or `@ann` for a DM (its `dm-…` name is
 * a hash nobody should have to read). Raw text: components escape it.
 */
import type { RoomTab } from './types.js';

export function roomLabel(room: string, tabs: readonly RoomTab[]): string {
  const peer = tabs.find((t) => t.room === room)?.peer;
  return peer === undefined ? `#${room}` : `@${peer}`;
}
