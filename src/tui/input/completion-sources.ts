/**
 * The completion sources (see complete.ts) of the chat state: the one place
 * that knows where the state keeps speakers, members and rooms.
 */
import { COMMAND_HELP } from '../commands.js';
import type { ChatState } from '../state/types.js';
import { commandNames, type CompletionSources } from './complete.js';

/** Messages looked at, newest first, for recent speakers: enough for any screenful of talk. */
export const RECENT_SPEAKER_LINES = 1000;

/** Nicks of the newest messages first (each once), then the members not among them, by name. */
export function recentNicks(s: ChatState): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (nick: string): void => {
    if (seen.has(nick)) return;
    seen.add(nick);
    out.push(nick);
  };
  const stop = Math.max(0, s.lines.length - RECENT_SPEAKER_LINES);
  for (let i = s.lines.length - 1; i >= stop; i--) {
    const line = s.lines[i];
    if (line?.kind === 'message' && !line.own) add(line.nick);
  }
  const members = (s.members ?? []).map((m) => m.nick).sort((a, b) => a.localeCompare(b));
  for (const nick of members) add(nick);
  return out;
}

/** Computed per Tab press (rare), so nothing is kept up to date on every message. */
export function completionSources(s: ChatState): CompletionSources {
  return {
    nicks: recentNicks(s),
    // Read from the help table, so every command added there completes too.
    commands: commandNames(COMMAND_HELP),
    // The rooms this client is in, a DM as `@peer` (what /switch and the room list say).
    rooms: s.tabs.length > 0 ? s.tabs.map((t) => (t.peer === undefined ? t.room : `@${t.peer}`)) : [s.room],
    self: s.nick,
  };
}
