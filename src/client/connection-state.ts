/**
 * The connection state machine. Like centrifuge-js's `_setState`, a change is
 * announced only when the state really differs, so a UI never redraws (or
 * logs a line) for a no-op transition.
 */
import type { ConnectionState, StateChange } from './model.js';

export function sameState(a: ConnectionState, b: ConnectionState): boolean {
  if (a.name !== b.name) return false;
  switch (a.name) {
    case 'offline':
      return a.reason === (b as typeof a).reason;
    case 'connecting':
    case 'online': {
      const o = b as typeof a;
      return a.via === o.via && a.server === o.server;
    }
    case 'reconnecting': {
      const o = b as typeof a;
      return (
        a.via === o.via && a.server === o.server && a.attempt === o.attempt && a.at === o.at && a.reason === o.reason
      );
    }
  }
}

export class ConnectionStateMachine {
  private current: ConnectionState;

  /**
   * @param initial first state (no change is announced for it)
   * @param onChange called with {oldState, newState} on every real change
   */
  constructor(
    initial: ConnectionState,
    private readonly onChange: (change: StateChange) => void,
  ) {
    this.current = initial;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Moves to `next`; returns true (and announces it) only when it differs. */
  set(next: ConnectionState): boolean {
    if (sameState(this.current, next)) return false;
    const oldState = this.current;
    this.current = next;
    this.onChange({ oldState, newState: next });
    return true;
  }
}
