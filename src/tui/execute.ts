/**
 * Carries out one parsed command against the client. Failures become system
 * lines; nothing here throws into React.
 */
import type { Command } from './commands.js';
import { message, say as sayIn, sendText, type ExecuteContext } from './command-context.js';
import { executeRoomCommand } from './room-commands.js';

export type { ExecuteContext } from './command-context.js';

export function executeCommand(cmd: Command, ctx: ExecuteContext): void {
  const { client, dispatch } = ctx;
  const say = (text: string, level: 'info' | 'warn' | 'error' = 'info'): void => sayIn(ctx, text, level);
  const send = (text: string): void => sendText(ctx, ctx.getState().room, text);

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
    case 'part':
    case 'switch':
    case 'msg':
    case 'search':
      executeRoomCommand(cmd, ctx);
      return;
    case 'bell':
      dispatch({ type: 'bell', mode: cmd.mode });
      say(cmd.mode === 'off' ? 'bell off' : `bell on ${cmd.mode === 'all' ? 'every message' : 'mentions and DMs'}`);
      return;
    case 'notify':
      dispatch({ type: 'notify', on: cmd.on });
      say(`desktop notifications ${cmd.on ? 'on (mentions and DMs)' : 'off'}`);
      return;
    case 'mentions':
      dispatch({ type: 'panel', panel: 'mentions' });
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
