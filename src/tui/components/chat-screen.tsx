/**
 * The whole screen: history, in-flight lines, an optional panel, the status
 * bar and the input line (or the paste guard's question). Heights come from
 * liveLayout, so the live area always stays shorter than the terminal.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import { liveLayout, roomBarRows } from '../layout.js';
import { useChatState } from '../state/contexts.js';
import { roomLabel } from '../state/room-label.js';
import { hitPlace } from '../state/search.js';
import { HelpPanel } from './help-panel.js';
import { MentionsPanel, SearchPanel } from './list-panels.js';
import { RoomBar } from './room-bar.js';
import { InputLine } from './input-line.js';
import { LatencyPanel } from './latency-panel.js';
import { MessageList } from './message-list.js';
import { PasteGuard } from './paste-guard.js';
import { StatusBar } from './status-bar.js';
import { WhoPanel } from './who-panel.js';

export function ChatScreen() {
  const s = useChatState();
  const label = roomLabel(s.room, s.tabs);
  const layout = liveLayout(s);
  const server = s.connection.name === 'offline' ? s.server : s.connection.server;
  const rows = layout.panelRows;
  const search = s.search;
  const hits = useMemo(
    () => new Set(search !== undefined && search.room === s.room ? (search.hits ?? []).map((h) => h.seq) : []),
    [search, s.room],
  );
  const selectedSeq = search?.hits?.[search.selected]?.seq;
  const place = useMemo(
    () =>
      search === undefined || selectedSeq === undefined
        ? undefined
        : hitPlace({ room: s.room, lines: s.lines }, search, selectedSeq),
    // s.room and s.lines are what hitPlace reads of s.
    [search, selectedSeq, s.room, s.lines],
  );
  return (
    <Box flexDirection="column" width={s.columns}>
      <MessageList
        lines={s.lines}
        pending={s.pending}
        nick={s.nick}
        scrollOffset={s.scrollOffset}
        windowRows={layout.windowRows}
        pendingRows={layout.pendingRows}
        columns={s.columns}
        paint={s.paint}
        hits={hits}
        selected={search?.room === s.room ? selectedSeq : undefined}
      />
      {s.panel === 'help' ? <HelpPanel rows={rows} offset={s.panelOffset} /> : null}
      {s.panel === 'latency' ? <LatencyPanel latency={s.latency} rows={rows} /> : null}
      {s.panel === 'who' ? (
        <WhoPanel
          label={label}
          members={s.members}
          online={s.online}
          truncated={s.truncated}
          page={s.whoPage}
          offset={s.panelOffset}
          rows={rows}
        />
      ) : null}
      {s.panel === 'mentions' ? (
        <MentionsPanel mentions={s.mentionLog} tabs={s.tabs} rows={rows} offset={s.panelOffset} />
      ) : null}
      {s.panel === 'search' ? <SearchPanel search={s.search} tabs={s.tabs} rows={rows} place={place} /> : null}
      {roomBarRows(s) > 0 ? <RoomBar tabs={s.tabs} active={s.room} width={s.columns} /> : null}
      <StatusBar
        connection={s.connection}
        via={s.via}
        server={server}
        room={label}
        nick={s.nick}
        latency={s.latency}
        online={s.online}
        width={s.columns}
      />
      {s.paste === undefined ? (
        <InputLine input={s.input} room={label} columns={s.columns} />
      ) : (
        <PasteGuard paste={s.paste} />
      )}
    </Box>
  );
}
