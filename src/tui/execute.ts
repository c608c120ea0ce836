/**
 * Carries out one parsed command against the client. Failures become system
 * lines; nothing here throws into React.
 */
import type { Dispatch } from 'react';
import type { ChatClientHandle } from './client-handle.js';
import type { Command } from './commands.js';
import type { QuitReason } from './quit-reason.js';
import type { ChatAction } from './state/actions.js';

export interface ExecuteContext {
  client: ChatClientHandle;
  dispatch: Dispatch<ChatAction>;
  quit(reason: QuitReason): void;
  /** Default Date.now. */
  now?: () => number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function executeCommand(cmd: Command, ctx: ExecuteContext): void {
  const { client, dispatch } = ctx;
  const now = ctx.now ?? Date.now;
  const say = (text: string, level: 'info' | 'warn' | 'error' = 'info'): void =>
    dispatch({ type: 'system', text, level, now: now() });
  const send = (text: string): void => {
    try {
      const item = client.send(text);
      // Refused before it left (too long, say): one line with the reason, not the text again.
      if (item.status === 'failed') {
        say(`not sent: ${item.reason ?? item.error ?? 'refused'}`, 'error');
        return;
      }
      dispatch({ type: 'sent', item: { ...item } });
    } catch (err) {
      say(`not sent: ${message(err)}`, 'error');
    }
  };

  switch (cmd.kind) {
    case 'empty':
      return;
    case 'say':
    case 'me':
      send(cmd.text);
      return;
    case 'nick':
      try {
        client.setNick(cmd.nick);
        dispatch({ type: 'nick', nick: cmd.nick });
        say(`you are now ${cmd.nick}`);
      } catch (err) {
        say(`cannot change nick: ${message(err)}`, 'error');
      }
      return;
    case 'join':
      if (cmd.room === client.room) {
        say(`already in #${cmd.room}`);
        return;
      }
      dispatch({ type: 'room', room: cmd.room });
      say(`joining #${cmd.room}`);
      client.joinRoom(cmd.room).catch((err: unknown) => say(`cannot join #${cmd.room}: ${message(err)}`, 'error'));
      return;
    case 'via':
      if (cmd.via === client.via && client.state.name === 'online') {
        say(`already on ${cmd.via}`);
        return;
      }
      say(`switching to ${cmd.via}…`);
      client.switchVia(cmd.via).catch((err: unknown) => say(`cannot switch to ${cmd.via}: ${message(err)}`, 'error'));
      return;
    case 'who':
      dispatch({ type: 'panel', panel: 'who' });
      return;
    case 'latency':
      dispatch({ type: 'panel', panel: 'latency' });
      return;
    case 'help':
      dispatch({ type: 'panel', panel: 'help' });
      return;
    case 'quit':
      ctx.quit('left');
      return;
    case 'invalid':
      say(cmd.message, 'warn');
      return;
    case 'unknown':
      say(`unknown command /${cmd.name}; /help lists the commands`, 'warn');
      return;
  }
}
