/**
 * Subscribes to a ChatClient and feeds the reducer in batches: events are
 * queued and dispatched as one `client` action at most once per frame, so a
 * flood of 1,000 messages/s costs ~30 renders a second, not 1,000.
 */
import { useEffect, type Dispatch } from 'react';
import type { GapEvent, HelloEvent, MessageEvent, PresenceEvent, ResetEvent, Via } from '../../protocol/index.js';
import type { LatencySnapshot, MessageMeta, OutgoingMessage, StateChange } from '../../client/types.js';
import type { ChatClientHandle } from '../client-handle.js';
import type { ChatAction, ClientEvent } from '../state/actions.js';

/** One frame at ~30 fps. */
export const FRAME_MS = 33;

export interface UseChatClientOptions {
  /** Minimum time between two batches, ms. Default FRAME_MS (33). */
  frameMs?: number;
}

export function useChatClient(
  client: ChatClientHandle,
  dispatch: Dispatch<ChatAction>,
  options: UseChatClientOptions = {},
): void {
  const frameMs = options.frameMs ?? FRAME_MS;
  useEffect(() => {
    let queue: ClientEvent[] = [];
    let timer: NodeJS.Timeout | undefined;
    let lastFlush = 0;

    const flush = (): void => {
      timer = undefined;
      lastFlush = Date.now();
      const events = queue;
      queue = [];
      dispatch({ type: 'client', events, now: lastFlush });
    };
    const push = (e: ClientEvent): void => {
      queue.push(e);
      // The first event after a quiet spell goes out at once; the rest wait for the frame.
      timer ??= setTimeout(flush, Math.max(0, lastFlush + frameMs - Date.now()));
    };

    const onState = (change: StateChange): void => push({ kind: 'state', change });
    const onHello = (hello: HelloEvent): void => push({ kind: 'hello', hello });
    const onMessage = (message: MessageEvent, meta: MessageMeta): void => push({ kind: 'message', message, meta });
    const onPresence = (presence: PresenceEvent): void => push({ kind: 'presence', presence });
    const onGap = (gap: GapEvent): void => push({ kind: 'gap', gap });
    const onReset = (reset: ResetEvent): void => push({ kind: 'reset', reset });
    // A copy: the client may mutate its outbox entry after emitting it.
    const onOutbox = (item: OutgoingMessage): void => push({ kind: 'outbox', item: { ...item } });
    const onLatency = (latency: LatencySnapshot): void => push({ kind: 'latency', latency });
    const onVia = (v: { from: Via | undefined; to: Via }): void => push({ kind: 'via', from: v.from, to: v.to });
    const onWarning = (text: string): void => push({ kind: 'warning', text });
    client.on('state', onState);
    client.on('hello', onHello);
    client.on('message', onMessage);
    client.on('presence', onPresence);
    client.on('gap', onGap);
    client.on('reset', onReset);
    client.on('outbox', onOutbox);
    client.on('latency', onLatency);
    client.on('via', onVia);
    client.on('warning', onWarning);
    return () => {
      client.off('state', onState);
      client.off('hello', onHello);
      client.off('message', onMessage);
      client.off('presence', onPresence);
      client.off('gap', onGap);
      client.off('reset', onReset);
      client.off('outbox', onOutbox);
      client.off('latency', onLatency);
      client.off('via', onVia);
      client.off('warning', onWarning);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [client, dispatch, frameMs]);
}
