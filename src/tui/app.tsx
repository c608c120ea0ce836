/**
 * The TUI root: one reducer, its state and its actions in two contexts, the
 * client feeding it in batches, and the screen.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { ChatClientHandle } from './client-handle.js';
import type { ExitTasks } from './exit-tasks.js';
import { parseCommand } from './commands.js';
import { ChatScreen } from './components/chat-screen.js';
import type { ExecuteContext } from './command-context.js';
import { executeCommand } from './execute.js';
import { searchOlder } from './room-commands.js';
import { useActiveRoom, useAlerts, useDmDiscovery, useMarkerSync, useReadMarkers } from './hooks/use-rooms.js';
import { memoryServices, type TuiServices } from './services.js';
import { useChatClient } from './hooks/use-chat-client.js';
import { useKeys } from './hooks/use-keys.js';
import { useResize } from './hooks/use-resize.js';
import { useWhoPages } from './hooks/use-who-pages.js';
import { rememberLine } from './input/remember-line.js';
import { LinksContext } from './links.js';
import { makePalette, PaletteContext } from './palette.js';
import type { QuitReason } from './quit-reason.js';
import { initialChatState, type InitialRoom } from './state/chat-reducer.js';
import { ChatStore } from './state/chat-store.js';
import { ChatActionsContext, ChatStateContext, type ChatActions } from './state/contexts.js';
import { CLEAR_ALL, terminalSize } from './terminal.js';

export interface AppProps {
  /** The client core (ChatClient, or a test's fake). */
  client: ChatClientHandle;
  /** DMs, read markers and search over HTTP (httpServices in run.tsx). Default memoryServices(). */
  services?: TuiServices;
  /** The rooms' read markers and DM peers known before start; the list itself is `client.rooms`. */
  rooms?: InitialRoom[];
  /** The server shown until the client reports which one it uses. */
  server: string;
  /** Called once the user asks to leave (/quit, Ctrl+C), with `left`; the caller stops the client. */
  onQuit: (reason: QuitReason) => void;
  /** Batch period for client events, ms. Default 33 (~30 fps). */
  frameMs?: number;
  /** Lines kept for scrollback (and for a repaint). Default 5000. */
  maxLines?: number;
  /**
   * Where the bell and desktop notifications are written. Default: the
   * terminal (Ink's stdout) directly; neither moves the cursor.
   */
  alertOut?: (bytes: string) => void;
  /** Draw colours; default true. False honours NO_COLOR: bold, dim and inverse remain. */
  color?: boolean;
  /** URLs in messages as OSC 8 hyperlinks; default false (see links.ts for who decides). */
  links?: boolean;
  /** Input history kept across runs (see input/history-file.ts); default none. */
  history?: AppHistory;
  /** Hits asked per /search page (1..100, the server's bound); default 50. */
  searchLimit?: number;
  /** Where the App registers what must finish before exit (the last read markers); run.tsx runs them. */
  exitTasks?: ExitTasks;
}

/** The persistent input history: its lines at start, and where each submitted line goes. */
export interface AppHistory {
  /** Oldest first. */
  lines: readonly string[];
  /** Stores one submitted line as typed; rejects when it cannot be written. */
  add(typed: string): Promise<void>;
}

function Keys() {
  useKeys();
  return null;
}

export function App(props: AppProps) {
  const client = props.client;
  const { stdout } = useStdout();
  const [store] = useState(() => {
    const presence = client.presence;
    const initial = {
      ...initialChatState({
        server: props.server,
        room: client.room,
        rooms: client.rooms.map((room) => props.rooms?.find((r) => r.room === room) ?? { room }),
        nick: client.nick,
        via: client.via,
        connection: client.state,
        ...terminalSize(stdout),
        ...(props.maxLines === undefined ? {} : { maxLines: props.maxLines }),
      }),
      history: props.history?.lines.slice() ?? [],
      latency: client.latency,
      members: presence?.members,
      online: presence === undefined ? undefined : (presence.count ?? presence.members.length),
      truncated: presence?.truncated === true,
    };
    // The terminal and its scrollback are cleared right before the history is written again.
    return new ChatStore(initial, { onRepaint: () => stdout.write(CLEAR_ALL) });
  });
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const dispatch = store.dispatch;
  useChatClient(client, dispatch, props.frameMs === undefined ? {} : { frameMs: props.frameMs });
  useResize(dispatch);
  useWhoPages(client, state, dispatch);
  // Frequent RTT pings only while the latency panel shows them (an idle client spares the radio).
  const latencyOpen = state.panel === 'latency';
  useEffect(() => client.setLatencyFocus(latencyOpen), [client, latencyOpen]);
  const palette = useMemo(() => makePalette(props.color ?? true), [props.color]);

  // The latest onQuit without re-creating the actions (and re-rendering every consumer).
  const onQuit = useRef(props.onQuit);
  onQuit.current = props.onQuit;
  const [fallback] = useState(memoryServices);
  const services = props.services ?? fallback;
  const ctx = useMemo<ExecuteContext>(() => {
    const quit = (reason: QuitReason): void => onQuit.current(reason);
    const limit = props.searchLimit;
    return {
      client,
      services,
      dispatch,
      getState: store.getState,
      quit,
      ...(limit === undefined ? {} : { searchLimit: limit }),
    };
  }, [client, services, store, dispatch, props.searchLimit]);
  useActiveRoom(ctx, state.room);
  useReadMarkers(ctx, state.tabs, { exitTasks: props.exitTasks });
  useDmDiscovery(ctx, state.connection.name === 'online');
  const c = state.connection;
  useMarkerSync(ctx, c.name === 'online' ? `${c.via}|${c.server}` : '');
  const alertOut = props.alertOut;
  const write = useMemo(() => alertOut ?? ((bytes: string) => void stdout.write(bytes)), [alertOut, stdout]);
  useAlerts(state.alert, write);
  const history = useRef(props.history);
  const actions = useMemo<ChatActions>(() => {
    const quit = (reason: QuitReason): void => ctx.quit(reason);
    const remember = rememberLine(history.current, dispatch);
    return {
      dispatch,
      getState: store.getState,
      quit,
      submit: (line) => {
        remember(line);
        executeCommand(parseCommand(line), ctx);
      },
      say: (text) => executeCommand({ kind: 'say', text }, ctx),
      searchOlder: () => searchOlder(ctx),
    };
  }, [ctx, store, dispatch]);

  return (
    <PaletteContext.Provider value={palette}>
      <ChatActionsContext.Provider value={actions}>
        <ChatStateContext.Provider value={state}>
          <LinksContext.Provider value={props.links ?? false}>
            <ChatScreen />
          </LinksContext.Provider>
          <Keys />
        </ChatStateContext.Provider>
      </ChatActionsContext.Provider>
    </PaletteContext.Provider>
  );
}
