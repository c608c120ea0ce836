/**
 * /mentions (the recent messages that named you or came in a DM, across
 * rooms, newest first) and /search (the hits of the active room, newest
 * first, each with its seq; the hits still in the history are marked there
 * with `>`, Up/Down select one and the scrollback window opens on its line).
 */
import { Box, Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { formatTime } from '../format.js';
import { whoPageSize } from '../layout.js';
import { usePalette } from '../palette.js';
import { roomLabel } from '../state/room-label.js';
import type { HitPlace } from '../state/search.js';
import type { MentionEntry, RoomTab, SearchState } from '../state/types.js';
import { PageHint, Panel } from './panel.js';

/** One listed message; `selected` (the search hit Up/Down chose) is marked `>` and drawn inverse. */
function EntryRow({ e, where, selected }: { e: MentionEntry; where: string; selected?: boolean }) {
  const palette = usePalette();
  return (
    <Box>
      <Text wrap="truncate-end" inverse={selected === true}>
        {selected === undefined ? null : <Text bold>{selected ? '> ' : '  '}</Text>}
        <Text dimColor>{`${formatTime(e.ts)} `}</Text>
        {where === '' ? null : <Text color={palette.color('cyan')}>{`${escapeTerminal(where)} `}</Text>}
        <Text dimColor>{`#${e.seq} `}</Text>
        <Text color={palette.nick(e.nick)}>{escapeTerminal(e.nick)}</Text>
        <Text dimColor>: </Text>
        {escapeTerminal(e.text)}
      </Text>
    </Box>
  );
}

export function MentionsPanel(p: { mentions: MentionEntry[]; tabs: RoomTab[]; rows: number; offset: number }) {
  const newest = [...p.mentions].reverse();
  const size = whoPageSize(p.rows, newest.length);
  const page = newest.slice(p.offset, p.offset + size);
  const where = (room: string): string => roomLabel(room, p.tabs);
  return (
    <Panel title={`Mentions (${newest.length})`} rows={p.rows}>
      {newest.length === 0 ? <Text dimColor>no mentions yet</Text> : null}
      {page.map((e) => (
        <EntryRow key={`${e.room}/${e.seq}`} e={e} where={where(e.room)} />
      ))}
      <PageHint offset={p.offset} shown={page.length} total={newest.length} />
    </Panel>
  );
}

/** The panel's last row: where the selected hit is, or what the keys do. */
function searchNote(search: SearchState, label: string, total: number, place: HitPlace | undefined): string {
  if (search.paging !== undefined) return 'asking for older hits…';
  const hit = search.hits?.[search.selected];
  if (hit !== undefined && place === 'older') return `#${hit.seq} is older than the scrollback: not kept here, no jump`;
  if (hit !== undefined && place === 'missing') return `#${hit.seq} is not in the scrollback: no jump`;
  if (place === 'elsewhere') return `hits of ${label}: /switch there to jump to them`;
  const more = search.more && search.selected === total - 1 ? ' · Down: older hits' : '';
  return `hit ${search.selected + 1} of ${total}${search.more ? '+' : ''} · Up/Down: move${more} · Enter/Esc: close`;
}

/**
 * The hits, newest first, the selected one marked `>` and kept on the page;
 * the last row says where the selected hit is (`place`, from hitPlace).
 */
export function SearchPanel(p: {
  search: SearchState | undefined;
  /** The room list, so a DM's hits are titled `@peer` (roomLabel). */
  tabs: readonly RoomTab[];
  rows: number;
  place: HitPlace | undefined;
}) {
  const search = p.search;
  if (search === undefined) return null;
  const hits = search.hits;
  const list = hits ?? [];
  const note = list.length > 0 ? 1 : 0;
  const size = whoPageSize(p.rows - note, list.length);
  // The page keeps the selected hit in its middle once the list is longer than the page.
  const start = Math.max(0, Math.min(search.selected - Math.floor(size / 2), list.length - size));
  const page = list.slice(start, start + size);
  const label = roomLabel(search.room, p.tabs);
  const title = `Search ${escapeTerminal(label)} for "${escapeTerminal(search.query)}"`;
  const count =
    hits === undefined ? '' : ` · ${list.length}${search.more ? '+' : ''} hit${list.length === 1 ? '' : 's'}`;
  const older = list.length - start - page.length;
  return (
    <Panel title={escapeTerminal(title) + count} rows={p.rows}>
      {search.error !== undefined ? <Text color="red">{`search failed: ${escapeTerminal(search.error)}`}</Text> : null}
      {hits === undefined && search.error === undefined ? <Text dimColor>searching…</Text> : null}
      {hits?.length === 0 && search.error === undefined ? <Text dimColor>no hits</Text> : null}
      {page.map((e, i) => (
        <EntryRow key={e.seq} e={e} where="" selected={start + i === search.selected} />
      ))}
      {list.length > size ? <Text dimColor wrap="truncate-end">{`… ${start} newer · ${older} older`}</Text> : null}
      {note > 0 ? (
        <Text dimColor wrap="truncate-end">
          {escapeTerminal(searchNote(search, label, list.length, p.place))}
        </Text>
      ) : null}
    </Panel>
  );
}
