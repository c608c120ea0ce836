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
 * A repaint (`paint` grew: the width changed, or a panel or the scrollback
 * window closed) hands every kept line to <Static> again, right after the
 * store cleared the terminal and its scrollback (see ChatStore's onRepaint):
 * each line is then in the terminal once, laid out for the width of now.
 *
 * PgUp/PgDn show a window of older lines in the live area instead; while it
 * is open, writing is held back (the terminal does not scroll under the
 * reader) and resumes, in order, when the reader returns to the bottom.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { Box, Static, Text } from 'ink';
import { isAction } from '../format.js';
import type { Line, PendingLine } from '../state/types.js';
import { MessageLine } from './message-line.js';
import { SystemLine } from './system-line.js';

export interface MessageListProps {
  lines: Line[];
  pending: PendingLine[];
  nick: string;
  /** Lines back from the newest; 0 follows the stream. */
  scrollOffset: number;
  /** Lines the scrollback window shows. */
  windowRows: number;
  /** Rows for pending lines; a longer queue is summarised in the last of them. */
  pendingRows: number;
  columns: number;
  /** Repaint counter (ChatState.paint). */
  paint: number;
  /** Seqs of the /search hits, marked in the history; empty when no search is open. */
  hits?: ReadonlySet<number>;
  /** The seq of the hit selected in the search panel: drawn inverse in the scrollback window. */
  selected?: number | undefined;
}

interface HistoryLineProps {
  line: Line;
  nick: string;
  columns: number;
  truncate?: boolean;
  hits?: ReadonlySet<number> | undefined;
  selected?: number | undefined;
}

/** The "new since you left" rule, one row wide. */
function Divider({ text, columns }: { text: string; columns: number }) {
  const label = ` ${text} `;
  const side = Math.max(2, Math.floor((Math.max(1, columns - 1) - label.length) / 2));
  return (
    <Text color="red" wrap="truncate-end">
      {'─'.repeat(side)}
      {label}
      {'─'.repeat(side)}
    </Text>
  );
}

function HistoryLine({ line, nick, columns, truncate, hits, selected }: HistoryLineProps) {
  if (line.kind === 'system' && line.divider === true) return <Divider text={line.text} columns={columns} />;
  if (line.kind === 'system') {
    return <SystemLine time={line.ts} level={line.level} text={line.text} columns={columns} truncate={truncate} />;
  }
  return (
    <MessageLine
      time={line.ts}
      nick={line.nick}
      text={line.text}
      own={line.own}
      action={line.action}
      columns={columns}
      highlight={line.own ? undefined : nick}
      truncate={truncate}
      hit={hits?.has(line.seq) === true}
      selected={selected === line.seq}
    />
  );
}

function Pending({ pending, rows }: { pending: PendingLine[]; rows: number }) {
  const more = pending.length > rows ? pending.length - rows + 1 : 0;
  const shown = more > 0 ? pending.slice(0, Math.max(0, rows - 1)) : pending;
  return (
    <>
      {shown.map((m) => (
        <MessageLine
          key={m.cid}
          time={m.queuedAt}
          nick={m.nick}
          text={m.text}
          own
          action={isAction(m.text)}
          columns={0}
          pending={m.status === 'pending'}
          truncate
        />
      ))}
      {more > 0 ? (
        <Text dimColor wrap="truncate-end">{`         … ${more}${shown.length > 0 ? ' more' : ''} on the way`}</Text>
      ) : null}
    </>
  );
}

export function MessageList(p: MessageListProps) {
  // Highest line id handed to <Static> so far, and the repaint it belongs to.
  const written = useRef(0);
  const painted = useRef(p.paint);
  const paused = p.scrollOffset > 0;
  const repaint = !paused && p.paint !== painted.current;
  const fresh = useMemo(() => {
    if (paused) return [];
    if (repaint) return p.lines;
    const last = p.lines[p.lines.length - 1];
    if (last === undefined || last.id <= written.current) return [];
    let i = p.lines.length - 1;
    while (i > 0 && (p.lines[i - 1] as Line).id > written.current) i--;
    return p.lines.slice(i);
  }, [p.lines, paused, repaint]);
  useLayoutEffect(() => {
    if (paused) return;
    painted.current = p.paint;
    const last = fresh[fresh.length - 1];
    if (last !== undefined) written.current = last.id;
  }, [fresh, paused, p.paint]);

  const windowLines = paused
    ? p.lines.slice(Math.max(0, p.lines.length - p.scrollOffset - p.windowRows), p.lines.length - p.scrollOffset)
    : [];

  return (
    <>
      <Static key={`${p.paint}/${fresh[0]?.id ?? 0}`} items={fresh}>
        {(line) => <HistoryLine key={line.id} line={line} nick={p.nick} columns={p.columns} hits={p.hits} />}
      </Static>
      {paused ? (
        <Box flexDirection="column">
          <Text inverse wrap="truncate-end">
            {' '}
            scrolled back {p.scrollOffset} line{p.scrollOffset === 1 ? '' : 's'} · PgUp/PgDn to move · End to
            return{' '}
          </Text>
          {windowLines.map((line) => (
            <HistoryLine
              key={line.id}
              line={line}
              nick={p.nick}
              columns={p.columns}
              hits={p.hits}
              selected={p.selected}
              truncate
            />
          ))}
        </Box>
      ) : null}
      <Pending pending={p.pending} rows={p.pendingRows} />
    </>
  );
}
