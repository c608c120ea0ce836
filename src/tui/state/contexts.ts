/**
 * State and actions travel in separate contexts: components that only act
 * (the input line, key handlers) do not re-render on every state change.
 */
import { createContext, useContext, type Dispatch } from 'react';
import type { QuitReason } from '../quit-reason.js';
import type { ChatAction } from './actions.js';
import type { ChatState } from './types.js';

export const ChatStateContext = createContext<ChatState | undefined>(undefined);

export interface ChatActions {
  dispatch: Dispatch<ChatAction>;
  /** The state as of now, for handlers that run between renders. */
  getState: () => ChatState;
  /** Handles one submitted input line: a message or a slash command. */
  submit(line: string): void;
  /** Sends text as it is, never as a command (a pasted line). */
  say(text: string): void;
  /** Asks the server for the search hits older than the last one listed (Down on the last hit). */
  searchOlder(): void;
  /** Stops the client and ends the app, saying why. */
  quit(reason: QuitReason): void;
}

export const ChatActionsContext = createContext<ChatActions | undefined>(undefined);

export function useChatState(): ChatState {
  const s = useContext(ChatStateContext);
  if (s === undefined) throw new Error('useChatState outside ChatStateContext');
  return s;
}

export function useChatActions(): ChatActions {
  const a = useContext(ChatActionsContext);
  if (a === undefined) throw new Error('useChatActions outside ChatActionsContext');
  return a;
}
