/**
 * The history and the lines still in flight.
 *
 * History goes through Ink's <Static>: each line is written to the terminal
 * once and then left to the terminal's own scrollback, so a long session
 * never re-renders old lines. Only lines not yet written are handed to
 * <Static>, under a key that changes per batch (a fresh <Static> writes all
 * of its items once); that keeps the work per frame proportional to what is
 * new, not to the whole history.
 *
 * PgUp/PgDn show a window of older lines in the live area instead; while it
 * is open, writing is held back (the terminal does not scroll under the
 * reader) and resumes, in order, when the reader returns to the bottom.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { Box, Static, Text } from 'ink';
import type { Line, PendingLine } from '../state/types.js';
import { MessageLine } from './message-line.js';
import { SystemLine } from './system-line.js';

export interface MessageListProps {
  lines: Line[];
  pending: PendingLine[];
  nick: string;
  /** Lines back from the newest; 0 follows the stream. */
  scrollOffset: number;
  /** Rows available to the scrollback window. */
  pageSize: number;
}

function HistoryLine({ line, nick, truncate }: { line: Line; nick: string; truncate?: boolean }) {
  if (line.kind === 'system') return <SystemLine time={line.ts} level={line.level} text={line.text} truncate={truncate} />;
  return (
    <MessageLine
      time={line.ts}
      nick={line.nick}
      text={line.text}
      own={line.own}
      action={line.action}
      highlight={line.own ? undefined : nick}
      truncate={truncate}
    />
  );
}

export function MessageList(p: MessageListProps) {
  // Highest line id handed to <Static> so far.
  const written = useRef(0);
  const paused = p.scrollOffset > 0;
  const fresh = useMemo(() => {
    if (paused) return [];
    const last = p.lines[p.lines.length - 1];
    if (last === undefined || last.id <= written.current) return [];
    let i = p.lines.length - 1;
    while (i > 0 && (p.lines[i - 1] as Line).id > written.current) i--;
    return p.lines.slice(i);
  }, [p.lines, paused]);
  useLayoutEffect(() => {
    const last = fresh[fresh.length - 1];
    if (last !== undefined) written.current = last.id;
  }, [fresh]);

  const windowLines = paused
    ? p.lines.slice(Math.max(0, p.lines.length - p.scrollOffset - p.pageSize), p.lines.length - p.scrollOffset)
    : [];

  return (
    <>
      <Static key={fresh[0]?.id ?? 0} items={fresh}>
        {(line) => <HistoryLine key={line.id} line={line} nick={p.nick} />}
      </Static>
      {paused ? (
        <Box flexDirection="column">
          <Text inverse>
            {' '}scrolled back {p.scrollOffset} line{p.scrollOffset === 1 ? '' : 's'} · PgUp/PgDn to move · End to return{' '}
          </Text>
          {windowLines.map((line) => (
            <HistoryLine key={line.id} line={line} nick={p.nick} truncate />
          ))}
        </Box>
      ) : null}
      {p.pending.map((m) => (
        <MessageLine
          key={m.cid}
          time={m.queuedAt}
          nick={m.nick}
          text={m.text}
          own
          action={m.text.startsWith('/me ')}
          pending={m.status === 'pending'}
        />
      ))}
    </>
  );
}
