/**
 * Holds the chat state outside React so that key handlers read the state as
 * it is now, not as of the last render: several keys can arrive in one stdin
 * chunk (a paste ending in Enter) before React renders again.
 * React reads it through useSyncExternalStore.
 */
import type { ChatAction } from './actions.js';
import { chatReducer } from './chat-reducer.js';
import type { ChatState } from './types.js';

export interface ChatStoreOptions {
  /**
   * Called when a repaint begins (`paint` grew while following the stream),
   * before anyone renders the new state: the place to clear the terminal, so
   * that the history written next is the only copy.
   */
  onRepaint?: (state: ChatState) => void;
}

export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: ChatState,
    private readonly options: ChatStoreOptions = {},
  ) {
    this.state = initial;
  }

  readonly getState = (): ChatState => this.state;

  readonly dispatch = (action: ChatAction): void => {
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    const prev = this.state;
    this.state = next;
    if (next.paint !== prev.paint && next.scrollOffset === 0) this.options.onRepaint?.(next);
    for (const listener of this.listeners) listener();
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}
