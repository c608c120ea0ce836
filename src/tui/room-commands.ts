/**
 * The commands that change which rooms the client is in or looks at: /join,
 * /part, /switch, /msg, and /search of the active room. A room's read marker
 * is loaded before the room is joined, so its history never rings the bell
 * for what was read already (here or on another machine).
 */
import type { Command } from './commands.js';
import { message, say, sendText, type ExecuteContext } from './command-context.js';
import type { ReadMarker } from './services.js';
import type { MessageEvent } from '../protocol/index.js';
import { findRoom, tabOf } from './state/rooms.js';
import { roomLabel } from './state/room-label.js';
import { wantsOlderHits } from './state/search.js';
import type { MentionEntry } from './state/types.js';

export type RoomCommand = Extract<Command, { kind: 'join' | 'part' | 'switch' | 'msg' | 'search' }>;

/** Hits asked of the server per /search, and per older page; default of ExecuteContext.searchLimit. */
export const SEARCH_LIMIT = 50;

/**
 * Puts `room` in the list (switched to when `activate`), loads its marker,
 * then joins it on the client. A refused join takes it off the list again.
 * Resolves once joined; never rejects (a failure is a system line).
 */
export async function openRoom(
  ctx: ExecuteContext,
  room: string,
  o: { peer?: string | undefined; activate: boolean },
): Promise<boolean> {
  const known = tabOf(ctx.getState(), room) !== undefined;
  ctx.dispatch({ type: 'rooms/add', room, activate: o.activate, ...(o.peer === undefined ? {} : { peer: o.peer }) });
  if (known) return true;
  const marker: ReadMarker = await ctx.services.readMarker(room).catch(() => ({ seq: 0 }));
  ctx.dispatch({
    type: 'rooms/marker',
    room,
    seq: marker.seq,
    ...(marker.epoch === undefined ? {} : { epoch: marker.epoch }),
  });
  try {
    await ctx.client.addRoom(room);
    if (ctx.getState().room === room) ctx.client.setActiveRoom(room);
    return true;
  } catch (err) {
    ctx.dispatch({ type: 'rooms/remove', room });
    say(ctx, `cannot join ${o.peer === undefined ? `#${room}` : `@${o.peer}`}: ${message(err)}`, 'error');
    return false;
  }
}

export function executeRoomCommand(cmd: RoomCommand, ctx: ExecuteContext): void {
  const s = ctx.getState();
  switch (cmd.kind) {
    case 'join':
      if (tabOf(s, cmd.room) !== undefined) {
        if (cmd.room === s.room) say(ctx, `already in #${cmd.room}`);
        else ctx.dispatch({ type: 'rooms/switch', room: cmd.room });
        return;
      }
      // openRoom switches at once (before its first await): the line goes to the new room.
      void openRoom(ctx, cmd.room, { activate: true });
      say(ctx, `joining #${cmd.room}`);
      return;
    case 'part': {
      const room = cmd.name === undefined ? s.room : findRoom(s, cmd.name);
      if (room === undefined) {
        say(ctx, `not in ${cmd.name ?? ''}`, 'warn');
        return;
      }
      // A DM is @peer on screen, never its dm-… name (roomLabel); taken before the tab goes.
      const label = roomLabel(room, s.tabs);
      if (s.tabs.length < 2) {
        say(ctx, `${label} is your only room: /quit leaves`, 'warn');
        return;
      }
      ctx.dispatch({ type: 'rooms/remove', room });
      say(ctx, `left ${label}`);
      ctx.client.removeRoom(room).catch((err: unknown) => say(ctx, `cannot leave ${label}: ${message(err)}`, 'error'));
      return;
    }
    case 'switch': {
      const room = findRoom(s, cmd.name);
      if (room === undefined) say(ctx, `not in ${cmd.name}: /join ROOM or /msg NICK TEXT first`, 'warn');
      else ctx.dispatch({ type: 'rooms/switch', room });
      return;
    }
    case 'msg':
      ctx.services
        .openDm(cmd.peer)
        .then(async (dm) => {
          if (await openRoom(ctx, dm.room, { peer: dm.peer, activate: true })) sendText(ctx, dm.room, cmd.text);
        })
        .catch((err: unknown) => say(ctx, `cannot message ${cmd.peer}: ${message(err)}`, 'error'));
      return;
    case 'search': {
      const room = s.room;
      ctx.dispatch({ type: 'search', room, query: cmd.query });
      ctx.services
        .search(room, cmd.query, { limit: ctx.searchLimit ?? SEARCH_LIMIT })
        .then((found) => {
          const hits = found.results.map((m) => hitOf(room, m));
          ctx.dispatch({ type: 'search', room, query: cmd.query, hits, more: found.more });
        })
        .catch((err: unknown) => ctx.dispatch({ type: 'search', room, query: cmd.query, error: message(err) }));
      return;
    }
  }
}

function hitOf(room: string, m: MessageEvent): MentionEntry {
  return { room, seq: m.seq, ts: m.ts, nick: m.nick, text: m.text };
}

/**
 * Down on the last hit of the search panel while the server said `more`:
 * asks the page of hits below the oldest one listed and appends it. Does
 * nothing when no page is wanted (or one is already on its way); a failure
 * shows in the panel.
 */
export function searchOlder(ctx: ExecuteContext): void {
  const before = wantsOlderHits(ctx.getState());
  const search = ctx.getState().search;
  if (before === undefined || search === undefined) return;
  const { room, query } = search;
  ctx.dispatch({ type: 'search/paging', before });
  ctx.services
    .search(room, query, { before, limit: ctx.searchLimit ?? SEARCH_LIMIT })
    .then((found) => {
      const hits = found.results.map((m) => hitOf(room, m));
      ctx.dispatch({ type: 'search/page', room, query, before, hits, more: found.more });
    })
    .catch((err: unknown) => ctx.dispatch({ type: 'search/page', room, query, before, error: message(err) }));
}
