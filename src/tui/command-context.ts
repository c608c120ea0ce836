/**
 * What carrying out a command needs (the client, the services, the state and
 * the quit callback), and the two things every command does: say something
 * as a system line, and send a text to a room.
 */
import type { Dispatch } from 'react';
import type { ChatClientHandle } from './client-handle.js';
import type { QuitReason } from './quit-reason.js';
import type { TuiServices } from './services.js';
import type { ChatAction } from './state/actions.js';
import type { ChatState, SystemLevel } from './state/types.js';

export interface ExecuteContext {
  client: ChatClientHandle;
  services: TuiServices;
  dispatch: Dispatch<ChatAction>;
  /** The state as of now. */
  getState(): ChatState;
  quit(reason: QuitReason): void;
  /** Hits asked per /search page; default SEARCH_LIMIT (50) of room-commands.ts. */
  searchLimit?: number;
  /** Default Date.now. */
  now?: () => number;
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A system line in the active room. */
export function say(ctx: ExecuteContext, text: string, level: SystemLevel = 'info'): void {
  ctx.dispatch({ type: 'system', text, level, now: (ctx.now ?? Date.now)() });
}

/** Queues `text` for `room`; it shows as pending there until the stream brings it back. */
export function sendText(ctx: ExecuteContext, room: string, text: string): void {
  try {
    const item = ctx.client.send(text, { room });
    // Refused before it left (too long, say): one line with the reason, not the text again.
    if (item.status === 'failed') {
      say(ctx, `not sent: ${item.reason ?? item.error ?? 'refused'}`, 'error');
      return;
    }
    ctx.dispatch({ type: 'sent', item: { ...item } });
  } catch (err) {
    say(ctx, `not sent: ${message(err)}`, 'error');
  }
}
