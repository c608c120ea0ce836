/**
 * One chat message: time, nick in its own colour, text. Own messages are
 * marked (and dimmed while pending), mentions of the local nick highlighted,
 * `/me` texts shown as actions. Network text is escaped before it is drawn.
 */
import { Text } from 'ink';
import { escapeTerminal, escapeTerminalKeepLines } from '../../protocol/index.js';
import { actionText, formatTime, nickColor, splitMentions } from '../format.js';

export interface MessageLineProps {
  time: number;
  nick: string;
  text: string;
  own: boolean;
  action: boolean;
  /** The local nick, for highlighting mentions; omit on own lines. */
  highlight?: string;
  /** Pending own message: dimmed and marked as sending. */
  pending?: boolean;
  /** Truncate to one row (the scrollback window) instead of wrapping. */
  truncate?: boolean;
}

/** Tabs would break Ink's width arithmetic; lines stay lines. */
function displayText(raw: string): string {
  return escapeTerminalKeepLines(raw).replace(/\t/g, '    ');
}

export function MessageLine(p: MessageLineProps) {
  const nick = escapeTerminal(p.nick);
  const raw = p.action ? actionText(p.text) : p.text;
  // One row per line in the scrollback window, so it never outgrows the screen.
  const body = p.truncate ? escapeTerminal(raw) : displayText(raw);
  const segments = p.highlight ? splitMentions(body, p.highlight) : [{ text: body, mention: false }];
  const mentioned = segments.some((s) => s.mention);
  if (p.pending) {
    // One flat dim run: nested bold would end the dim early (SGR 22 resets both).
    const line = p.action ? `* ${nick} ${body}` : `${nick}: ${body}`;
    return (
      <Text wrap={p.truncate ? 'truncate-end' : 'wrap'} dimColor>
        {formatTime(p.time)} » {line} (sending…)
      </Text>
    );
  }
  return (
    <Text wrap={p.truncate ? 'truncate-end' : 'wrap'}>
      <Text dimColor>{formatTime(p.time)} </Text>
      <Text bold color={mentioned ? 'yellow' : undefined}>{p.own ? '» ' : mentioned ? '! ' : '  '}</Text>
      {p.action ? <Text italic>* </Text> : null}
      <Text color={nickColor(p.nick)} bold={p.own}>{nick}</Text>
      {p.action ? ' ' : <Text dimColor>: </Text>}
      {segments.map((s, i) =>
        s.mention ? (
          <Text key={i} backgroundColor="yellow" color="black" bold>{s.text}</Text>
        ) : (
          <Text key={i} italic={p.action}>{s.text}</Text>
        ),
      )}
    </Text>
  );
}
