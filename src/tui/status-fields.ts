/**
 * The fields of the status bar and which of them fit. Pure: StatusBar draws
 * what `fitStatus` keeps.
 *
 * The state and the online count always show, whole. The other fields are
 * dropped least useful first: the server URL, the RTT average and p95, the
 * delivery figure, the RTT, the room and nick (the prompt shows the room),
 * the transport. Only the reason after "offline:" is ever shortened.
 */
import type { ConnectionState, LatencySnapshot } from '../client/types.js';
import { escapeTerminal, type Via } from '../protocol/index.js';
import { formatCount, formatMs } from './format.js';
import { displayWidth, truncateWidth } from './text/width.js';

export type FieldKey =
  'state' | 'reason' | 'via' | 'room' | 'nick' | 'rtt' | 'rttMore' | 'delivery' | 'online' | 'server';

export interface StatusField {
  key: FieldKey;
  text: string;
  /** Higher stays longer; Infinity is never dropped. */
  keep: number;
  /** What joins it to the field before: a separator, or a space for a field that belongs to the one before. */
  glue: string;
}

export const SEPARATOR = ' │ ';

export interface StatusInput {
  connection: ConnectionState;
  /** Whole seconds until the next reconnect attempt. */
  countdown: number | undefined;
  via: Via;
  server: string;
  /** The room as the screen names it: `#ops`, or `@ann` for a DM (state/room-label.ts). */
  room: string;
  nick: string;
  latency: LatencySnapshot;
  /** Members present; undefined until the first presence. */
  online: number | undefined;
}

function stateText(c: ConnectionState, countdown: number | undefined): string {
  switch (c.name) {
    case 'online':
      return '● online';
    case 'connecting':
      return '◌ connecting';
    case 'reconnecting':
      return `◌ reconnecting #${c.attempt} in ${countdown ?? 0}s`;
    case 'offline':
      return '✕ offline';
  }
}

/** Every field, in the order shown. */
export function statusFields(i: StatusInput): StatusField[] {
  const rtt = i.latency.rtt;
  const state = stateText(i.connection, i.countdown);
  const online = i.online === undefined ? '?' : formatCount(i.online);
  const fields: StatusField[] = [{ key: 'state', text: state, keep: Infinity, glue: '' }];
  if (i.connection.name === 'offline') {
    fields.push({ key: 'reason', text: escapeTerminal(i.connection.reason), keep: 70, glue: ': ' });
  }
  fields.push(
    { key: 'via', text: escapeTerminal(i.via), keep: 60, glue: SEPARATOR },
    // The prompt shows the room too, so on a narrow terminal it goes before the transport.
    { key: 'room', text: escapeTerminal(i.room), keep: 55, glue: SEPARATOR },
    { key: 'nick', text: `as ${escapeTerminal(i.nick)}`, keep: 50, glue: ' ' },
    { key: 'rtt', text: `rtt ${formatMs(rtt.last)} ms`, keep: 30, glue: SEPARATOR },
    { key: 'rttMore', text: `avg ${formatMs(rtt.avg)} p95 ${formatMs(rtt.p95)}`, keep: 10, glue: ' ' },
    { key: 'delivery', text: `delivery ${formatMs(i.latency.delivery.last)} ms`, keep: 20, glue: SEPARATOR },
    { key: 'online', text: `${online} online`, keep: Infinity, glue: SEPARATOR },
    { key: 'server', text: escapeTerminal(i.server), keep: 0, glue: SEPARATOR },
  );
  return fields;
}

function widthOf(fields: readonly StatusField[]): number {
  return fields.reduce((w, f, i) => w + (i === 0 ? 0 : displayWidth(f.glue)) + displayWidth(f.text), 0);
}

/** Shorter wording of the state, for when even the state and the count are too wide. */
function shortState(text: string): string {
  return text.replace(/^◌ reconnecting #\d+ in/, '◌ reconnecting in');
}

/**
 * The fields that fit in `width` columns, in display order: the state and the
 * count, then the others by `keep`, most useful first, up to the first that
 * does not fit (so what is dropped is always the least useful). A field glued
 * by a space shows only with the field it belongs to. The reason after
 * "offline:" is shortened to the room left. When the state and the count
 * alone are too wide, the state is worded shorter; below that the caller cuts
 * the row at the edge.
 */
export function fitStatus(fields: readonly StatusField[], width: number): StatusField[] {
  const chosen = new Map<StatusField, StatusField>();
  const shown = (): StatusField[] => fields.flatMap((f) => chosen.get(f) ?? []);
  for (const f of fields) if (f.keep === Infinity) chosen.set(f, f);
  if (widthOf(shown()) > width) {
    for (const f of fields) if (f.key === 'state') chosen.set(f, { ...f, text: shortState(f.text) });
  }
  const byKeep = fields.filter((f) => f.keep !== Infinity).sort((a, b) => b.keep - a.keep);
  for (const f of byKeep) {
    const head = fields[fields.indexOf(f) - 1];
    if (f.glue === ' ' && (head === undefined || !chosen.has(head))) continue;
    chosen.set(f, f);
    const over = widthOf(shown()) - width;
    if (over <= 0) continue;
    const room = displayWidth(f.text) - over;
    // The reason is worth a few columns even when cut; other fields go whole or not at all.
    if (f.key === 'reason' && room >= 6) {
      chosen.set(f, { ...f, text: truncateWidth(f.text, room) });
      continue;
    }
    chosen.delete(f);
    // The reason may be too long; the rest stop at the first that does not fit.
    if (f.key !== 'reason') break;
  }
  return shown();
}
