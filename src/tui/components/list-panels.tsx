/**
 * /mentions (the recent messages that named you or came in a DM, across
 * rooms, newest first) and /search (the hits of the active room, newest
 * first, each with its seq; the hits still in the history are marked there
 * with `>` and the scrollback window opens on the newest).
 */
import { Box, Text } from 'ink';
import { escapeTerminal } from '../../protocol/index.js';
import { formatTime } from '../format.js';
import { whoPageSize } from '../layout.js';
import { usePalette } from '../palette.js';
import { roomLabel } from '../state/room-label.js';
import type { MentionEntry, RoomTab, SearchState } from '../state/types.js';
import { PageHint, Panel } from './panel.js';

function EntryRow({ e, where }: { e: MentionEntry; where: string }) {
  const palette = usePalette();
  return (
    <Box>
      <Text wrap="truncate-end">
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

export function SearchPanel({ search, rows }: { search: SearchState | undefined; rows: number }) {
  if (search === undefined) return null;
  const hits = search.hits;
  const size = whoPageSize(rows, hits?.length ?? 0);
  const title = `Search #${search.room} for "${search.query}"`;
  const count =
    hits === undefined ? '' : ` · ${hits.length}${search.more ? '+' : ''} hit${hits.length === 1 ? '' : 's'}`;
  return (
    <Panel title={escapeTerminal(title) + count} rows={rows}>
      {search.error !== undefined ? <Text color="red">{`search failed: ${escapeTerminal(search.error)}`}</Text> : null}
      {hits === undefined && search.error === undefined ? <Text dimColor>searching…</Text> : null}
      {hits?.length === 0 && search.error === undefined ? <Text dimColor>no hits</Text> : null}
      {(hits ?? []).slice(0, size).map((e) => (
        <EntryRow key={e.seq} e={e} where="" />
      ))}
      {hits !== undefined && hits.length > size ? (
        <Text dimColor wrap="truncate-end">{`… ${hits.length - size} older`}</Text>
      ) : null}
    </Panel>
  );
}
