/**
 * The whole screen: history, in-flight lines, an optional panel, the status
 * bar and the input line. Sizes follow the terminal on resize.
 */
import { Box } from 'ink';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useChatState } from '../state/contexts.js';
import type { ChatState } from '../state/types.js';
import { HelpPanel } from './help-panel.js';
import { InputLine } from './input-line.js';
import { LatencyPanel } from './latency-panel.js';
import { MessageList } from './message-list.js';
import { StatusBar } from './status-bar.js';
import { WhoPanel } from './who-panel.js';

/** Rows a panel takes, borders included (an estimate is enough: it only sizes the scroll window). */
function panelRows(s: ChatState): number {
  switch (s.panel) {
    case 'help':
      return 18;
    case 'latency':
      return 7;
    case 'who':
      return Math.min(10, s.members?.length ?? 0) + 4;
    case 'none':
      return 0;
  }
}

/** Lines the PgUp/PgDn window may show: what the live area leaves free, less a margin. */
export function scrollPageSize(s: ChatState, rows: number): number {
  const chrome = 1 /* status */ + 1 /* input */ + 1 /* scroll header */ + 1 /* margin */;
  return Math.max(1, rows - chrome - s.pending.length - panelRows(s));
}

export function ChatScreen() {
  const s = useChatState();
  const { columns, rows } = useTerminalSize();
  const server = s.connection.name === 'offline' ? s.server : s.connection.server;
  return (
    <Box flexDirection="column" width={columns}>
      <MessageList
        lines={s.lines}
        pending={s.pending}
        nick={s.nick}
        scrollOffset={s.scrollOffset}
        pageSize={scrollPageSize(s, rows)}
      />
      {s.panel === 'help' ? <HelpPanel /> : null}
      {s.panel === 'latency' ? <LatencyPanel latency={s.latency} /> : null}
      {s.panel === 'who' ? <WhoPanel room={s.room} members={s.members} /> : null}
      <StatusBar
        connection={s.connection}
        via={s.via}
        server={server}
        room={s.room}
        nick={s.nick}
        latency={s.latency}
        members={s.members?.length}
        width={columns}
      />
      <InputLine input={s.input} room={s.room} />
    </Box>
  );
}
