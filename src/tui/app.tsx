/**
 * The TUI root: one reducer, its state and its actions in two contexts, the
 * client feeding it in batches, and the screen.
 */
import { useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ChatClientHandle } from './client-handle.js';
import { parseCommand } from './commands.js';
import { ChatScreen } from './components/chat-screen.js';
import { executeCommand } from './execute.js';
import { useChatClient } from './hooks/use-chat-client.js';
import { useKeys } from './hooks/use-keys.js';
import type { QuitReason } from './quit-reason.js';
import { initialChatState } from './state/chat-reducer.js';
import { ChatStore } from './state/chat-store.js';
import { ChatActionsContext, ChatStateContext, type ChatActions } from './state/contexts.js';

export interface AppProps {
  client: ChatClientHandle;
  /** The server shown until the client reports which one it uses. */
  server: string;
  /** Called once the user asks to leave (/quit, Ctrl+C), with `left`; the caller stops the client. */
  onQuit: (reason: QuitReason) => void;
  /** Batch period for client events, ms. Default 33 (~30 fps). */
  frameMs?: number;
  /** Lines kept for scrollback. Default 5000. */
  maxLines?: number;
}

function Keys() {
  useKeys();
  return null;
}

export function App(props: AppProps) {
  const { client } = props;
  const [store] = useState(
    () =>
      new ChatStore({
        ...initialChatState({
          server: props.server,
          room: client.room,
          nick: client.nick,
          via: client.via,
          connection: client.state,
          ...(props.maxLines === undefined ? {} : { maxLines: props.maxLines }),
        }),
        latency: client.latency,
        members: client.presence?.members,
      }),
  );
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const dispatch = store.dispatch;
  useChatClient(client, dispatch, props.frameMs === undefined ? {} : { frameMs: props.frameMs });

  // The latest onQuit without re-creating the actions (and re-rendering every consumer).
  const onQuit = useRef(props.onQuit);
  onQuit.current = props.onQuit;
  const actions = useMemo<ChatActions>(() => {
    const quit = (reason: QuitReason): void => onQuit.current(reason);
    return {
      dispatch,
      getState: store.getState,
      quit,
      submit: (line) => executeCommand(parseCommand(line), { client, dispatch, quit }),
    };
  }, [client, store, dispatch]);

  return (
    <ChatActionsContext.Provider value={actions}>
      <ChatStateContext.Provider value={state}>
        <ChatScreen />
        <Keys />
      </ChatStateContext.Provider>
    </ChatActionsContext.Provider>
  );
}
