/** Shared by the chat reducer's tests: a frozen start state, actions, events and line pickers. */
import { chatReducer, initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { ChatAction, ClientEvent } from '../../src/tui/state/actions.js';
import type { ChatState, MessageLineData, SystemLineData } from '../../src/tui/state/types.js';
import type { MessageEvent, PresenceMember } from '../../src/protocol/index.js';
import type { OutgoingMessage } from '../../src/client/types.js';

export const SERVER = 'http://127.0.0.1:7878';

/** Deep-frozen: a reducer that mutates its input throws here. */
export function freeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  }
  return v;
}

export function start(extra: Partial<ChatState> = {}): ChatState {
  return freeze({ ...initialChatState({ server: SERVER, room: 'lobby', nick: 'ann', via: 'ws' }), ...extra });
}

export function reduce(s: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce((acc, a) => freeze(chatReducer(acc, a)), s);
}

export function client(...events: ClientEvent[]): ChatAction {
  return { type: 'client', events, now: 1_000 };
}

export function msg(seq: number, nick: string, text: string, cid = `x${seq}`): MessageEvent {
  return { type: 'message', room: 'lobby', seq, nick, cid, text, ts: 500 + seq };
}

export function out(
  cid: string,
  text: string,
  status: OutgoingMessage['status'] = 'pending',
  seq?: number,
): OutgoingMessage {
  return { cid, room: 'lobby', nick: 'ann', text, queuedAt: 10, status, ...(seq === undefined ? {} : { seq }) };
}

/** Members told apart by `since`, as on a real server (each joined at its own moment). */
export const member = (nick: string): PresenceMember => ({
  nick,
  via: 'ws',
  since: Array.from(nick, (c) => c.charCodeAt(0)).reduce((h, code) => h * 31 + code, 7),
});
export const systems = (s: ChatState): string[] =>
  s.lines.filter((l): l is SystemLineData => l.kind === 'system').map((l) => l.text);
export const messages = (s: ChatState): MessageLineData[] =>
  s.lines.filter((l): l is MessageLineData => l.kind === 'message');
