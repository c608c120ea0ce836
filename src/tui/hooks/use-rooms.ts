/**
 * The side effects of several rooms: the client's active room follows the
 * screen's, read markers are stored (debounced) as rooms are viewed, the bell
 * and desktop notifications are written, and DM rooms are discovered.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { ExitTasks } from '../exit-tasks.js';
import type { DmNotice } from '../../client/types.js';
import type { ExecuteContext } from '../command-context.js';
import { openRoom } from '../room-commands.js';
import { BEL, notificationEscapes } from '../state/alerts.js';
import type { Alert, ChatState } from '../state/types.js';

/** Read markers are stored at most this often per room, ms (a stream of messages is one write a second). */
export const MARK_READ_DEBOUNCE_MS = 1000;
/**
 * How often the client asks for DMs it is not in yet, ms: 5 minutes. The
 * server's `dm` notice brings a new DM at once; this poll (and the one at
 * start and on every reconnect) is only the safety net for a notice a long
 * poll missed between two polls, or a server without notices.
 */
export const DM_POLL_MS = 300_000;

/** Tells the client which room a send without a room goes to. */
export function useActiveRoom(ctx: ExecuteContext, room: string): void {
  useEffect(() => ctx.client.setActiveRoom(room), [ctx, room]);
}

/**
 * Stores the read marker of every room viewed further than its marker, at
 * most once per `debounceMs`; a failed store is retried with the next change.
 */
export function useReadMarkers(
  ctx: ExecuteContext,
  tabs: ChatState['tabs'],
  o: { debounceMs?: number; exitTasks?: ExitTasks | undefined } = {},
): void {
  const debounceMs = o.debounceMs ?? MARK_READ_DEBOUNCE_MS;
  const inFlight = useRef(new Set<string>());
  const markDue = useCallback((): Promise<void> => {
    const stores: Promise<void>[] = [];
    for (const tab of ctx.getState().tabs) {
      if (tab.seenSeq <= tab.readSeq || inFlight.current.has(tab.room)) continue;
      const { room, seenSeq: seq } = tab;
      const epoch = ctx.client.rooms.includes(room) ? ctx.client.cursorOf(room).epoch : tab.readEpoch;
      inFlight.current.add(room);
      stores.push(
        ctx.services
          .markRead(room, epoch === undefined ? { seq } : { seq, epoch })
          .then(() => ctx.dispatch({ type: 'rooms/marker', room, seq, ...(epoch === undefined ? {} : { epoch }) }))
          .catch(() => undefined)
          .finally(() => inFlight.current.delete(room)),
      );
    }
    return Promise.all(stores).then(() => undefined);
  }, [ctx]);
  const due = tabs.filter((t) => t.seenSeq > t.readSeq).map((t) => `${t.room}:${t.seenSeq}`);
  const key = due.join(',');
  useEffect(() => {
    if (key === '') return;
    const timer = setTimeout(() => void markDue(), debounceMs);
    return () => clearTimeout(timer);
  }, [markDue, key, debounceMs]);
  // What was read in the last second before leaving is stored too, or it would ring again next time.
  const exitTasks = o.exitTasks;
  useEffect(() => exitTasks?.add(markDue), [exitTasks, markDue]);
}

/** The bytes for one alert: BEL, and the desktop notification escapes (already sanitized). */
export function alertBytes(alert: Alert): string {
  const notify = alert.notify === undefined ? '' : notificationEscapes(alert.notify.title, alert.notify.body);
  return (alert.bell ? BEL : '') + notify;
}

/** Writes each alert once (by id), to the terminal, beside Ink's output (neither moves the cursor). */
export function useAlerts(alert: Alert | undefined, write: (bytes: string) => void): void {
  const written = useRef(alert?.id ?? 0);
  useEffect(() => {
    if (alert === undefined || alert.id <= written.current) return;
    written.current = alert.id;
    const bytes = alertBytes(alert);
    if (bytes !== '') write(bytes);
  }, [alert, write]);
}

/**
 * Joins the DMs the user is not in yet: at once on the server's `dm` notice
 * (a DM of ours got a message), and with `GET /dms` at start, on every
 * reconnect and every `pollMs` while online (the safety net). A new DM joins
 * the list without taking the screen; its messages count as unread and ring
 * the bell.
 */
export function useDmDiscovery(ctx: ExecuteContext, online: boolean, pollMs = DM_POLL_MS): void {
  useEffect(() => {
    const onDm = (dm: DmNotice): void => {
      if (!ctx.getState().tabs.some((t) => t.room === dm.room))
        void openRoom(ctx, dm.room, { peer: dm.peer, activate: false });
    };
    ctx.client.on('dm', onDm);
    return () => void ctx.client.off('dm', onDm);
  }, [ctx]);
  useEffect(() => {
    if (!online) return;
    let current = true;
    const discover = (): void => {
      ctx.services
        .listDms()
        .then(async (dms) => {
          for (const dm of dms) {
            if (!current) return;
            if (ctx.getState().tabs.some((t) => t.room === dm.room)) continue;
            await openRoom(ctx, dm.room, { peer: dm.peer, activate: false });
          }
        })
        .catch(() => undefined);
    };
    discover();
    const timer = setInterval(discover, pollMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [ctx, online, pollMs]);
}

/**
 * Learns the read markers another client of the user moved (another machine
 * with an account, or another terminal on this one): once per connection
 * (`link` changes on every reconnect and transport switch; '' while offline)
 * and every `pollMs` while online, with one request for all rooms
 * (services.readMarkers). A marker only moves forward, so this lowers unread
 * counts and keeps what was read elsewhere from ringing; it never raises them.
 */
export function useMarkerSync(ctx: ExecuteContext, link: string, pollMs = DM_POLL_MS): void {
  useEffect(() => {
    if (link === '') return;
    let current = true;
    const sync = (): void => {
      const rooms = ctx.getState().tabs.map((t) => t.room);
      ctx.services
        .readMarkers(rooms)
        .then((markers) => {
          if (!current) return;
          for (const [room, m] of markers) {
            ctx.dispatch({
              type: 'rooms/marker',
              room,
              seq: m.seq,
              ...(m.epoch === undefined ? {} : { epoch: m.epoch }),
            });
          }
        })
        .catch(() => undefined);
    };
    sync();
    const timer = setInterval(sync, pollMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [ctx, link, pollMs]);
}
