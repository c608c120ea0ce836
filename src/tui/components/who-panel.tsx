/**
 * /who: the members online, their transport and since when, a page at a
 * time. A room small enough for presence to list its members is paged from
 * that list; a bigger one (presence `truncated`) from the server, a page per
 * request (GET /rooms/{room}/presence?limit&offset, see useWhoPages).
 */
import { Box, Text } from 'ink';
import type { PresenceMember } from '../../protocol/index.js';
import { escapeTerminal } from '../../protocol/index.js';
import { formatCount, formatTime } from '../format.js';
import { usePalette } from '../palette.js';
import type { WhoPage } from '../state/types.js';
import { whoPageSize } from '../layout.js';
import { PageHint, Panel } from './panel.js';

export interface WhoPanelProps {
  /** The room as the screen names it: `#room`, or `@peer` for a DM (roomLabel). */
  label: string;
  members: PresenceMember[] | undefined;
  online: number | undefined;
  truncated: boolean;
  /** The page fetched from the server, for a truncated room. */
  page: WhoPage | undefined;
  offset: number;
  rows: number;
}

export function WhoPanel(p: WhoPanelProps) {
  const palette = usePalette();
  const total = p.online ?? p.members?.length ?? 0;
  const size = whoPageSize(p.rows, total);
  const fetched = p.page !== undefined && p.page.offset === p.offset ? p.page : undefined;
  const list = p.truncated ? (fetched?.members ?? []) : (p.members ?? []).slice(p.offset, p.offset + size);
  const room = escapeTerminal(p.label);
  const title = p.online === undefined ? `${room}: presence not known yet` : `${room}: ${formatCount(p.online)} online`;
  return (
    <Panel title={title} rows={p.rows}>
      {p.truncated && fetched === undefined ? <Text dimColor>loading…</Text> : null}
      {list.slice(0, size).map((m, i) => (
        <Box key={`${p.offset + i}`}>
          <Box width={34} flexShrink={0}>
            <Text color={palette.nick(m.nick)} wrap="truncate-end">
              {escapeTerminal(m.nick)}
            </Text>
          </Box>
          <Box width={10} flexShrink={0}>
            {/* Member fields are display data, not checked on the way in: a server may send anything. */}
            {/* eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- unchecked data */}
            <Text>{escapeTerminal(String(m.via))}</Text>
          </Box>
          <Text dimColor wrap="truncate-end">
            since {formatTime(m.since)}
          </Text>
        </Box>
      ))}
      <PageHint offset={p.offset} shown={Math.min(size, list.length)} total={Math.max(total, list.length)} />
    </Panel>
  );
}
