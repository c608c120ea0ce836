/**
 * One chat message: time, nick in its own colour, text. Own messages are
 * marked (and dimmed while pending), mentions of the local nick highlighted,
 * `/me` texts shown as actions. Network text is escaped before it is drawn.
 * In the history a message wraps into rows marked as its continuation (see
 * WrappedRows); pending lines and the scrollback window take one row each.
 */
import { Text } from 'ink';
import { escapeTerminal, escapeTerminalKeepLines } from '../../protocol/index.js';
import { actionText, formatTime, splitMentions, type Segment } from '../format.js';
import { useLinks } from '../links.js';
import { usePalette } from '../palette.js';
import { linkedText, linkSegments } from '../text/hyperlinks.js';
import { displayWidth } from '../text/width.js';
import { WrappedRows } from './wrapped-rows.js';

export interface MessageLineProps {
  time: number;
  nick: string;
  text: string;
  own: boolean;
  action: boolean;
  /** Columns to lay the rows out in. */
  columns: number;
  /** The local nick, for highlighting mentions; omit on own lines. */
  highlight?: string | undefined;
  /** Pending own message: dimmed, marked as sending, one row. */
  pending?: boolean;
  /** One row, cut at the edge (the scrollback window) instead of wrapped. */
  truncate?: boolean | undefined;
  /** A /search hit: marked `> ` in green. */
  hit?: boolean;
  /** The hit selected in the search panel: its one row (the scrollback window) is drawn inverse. */
  selected?: boolean;
}

/** Tabs would break the width arithmetic; line breaks stay for the row layout. */
function displayText(raw: string): string {
  return escapeTerminalKeepLines(raw).replace(/\t/g, '    ');
}

export function MessageLine(p: MessageLineProps) {
  const palette = usePalette();
  const nick = escapeTerminal(p.nick);
  const raw = p.action ? actionText(p.text) : p.text;
  const oneRow = p.truncate === true || p.pending === true;
  // In one row a line break shows as \n, so nothing can start a second row.
  const body = oneRow ? escapeTerminal(raw) : displayText(raw);
  const plain: Segment[] = p.highlight ? splitMentions(body, p.highlight) : [{ text: body, mention: false }];
  const segments = useLinks() ? linkSegments(plain) : plain;
  const mentioned = segments.some((s) => s.mention);
  if (p.pending) {
    // One flat dim run: nested bold would end the dim early (SGR 22 resets both).
    const line = p.action ? `* ${nick} ${body}` : `${nick}: ${body}`;
    return (
      <Text wrap="truncate-end" dimColor>
        {formatTime(p.time)} » {line} (sending…)
      </Text>
    );
  }
  const mark = p.hit === true ? '> ' : p.own ? '» ' : mentioned ? '! ' : '  ';
  const markColor = p.hit === true ? palette.color('green') : mentioned ? palette.color('yellow') : undefined;
  const prefix = (
    <>
      <Text dimColor>{formatTime(p.time)} </Text>
      <Text bold color={markColor} inverse={p.hit === true && !palette.enabled}>
        {mark}
      </Text>
      {p.action ? <Text italic>* </Text> : null}
      <Text color={palette.nick(p.nick)} bold={p.own}>
        {nick}
      </Text>
      {p.action ? ' ' : <Text dimColor>: </Text>}
    </>
  );
  const renderSegment = (s: Segment, key: number) =>
    s.mention ? (
      palette.enabled ? (
        <Text key={key} backgroundColor="yellow" color="black" bold>
          {linkedText(s)}
        </Text>
      ) : (
        <Text key={key} inverse bold>
          {linkedText(s)}
        </Text>
      )
    ) : (
      <Text key={key} italic={p.action}>
        {linkedText(s)}
      </Text>
    );
  if (oneRow) {
    return (
      <Text wrap="truncate-end" inverse={p.selected === true}>
        {prefix}
        {segments.map(renderSegment)}
      </Text>
    );
  }
  const prefixWidth = 9 + 2 + (p.action ? 2 + displayWidth(nick) + 1 : displayWidth(nick) + 2);
  return (
    <WrappedRows
      prefix={prefix}
      prefixWidth={prefixWidth}
      segments={segments}
      columns={p.columns}
      renderSegment={renderSegment}
    />
  );
}
