/**
 * Fetches the page of members that /who shows, when the room is too big for
 * presence to list them (`truncated`): one request per page shown, never the
 * whole list.
 */
import { useEffect, type Dispatch } from 'react';
import type { ChatClientHandle } from '../client-handle.js';
import { liveLayout, whoPageSize } from '../layout.js';
import type { ChatAction } from '../state/actions.js';
import type { ChatState } from '../state/types.js';

export function useWhoPages(client: ChatClientHandle, s: ChatState, dispatch: Dispatch<ChatAction>): void {
  const wanted = s.panel === 'who' && s.truncated;
  const limit = whoPageSize(liveLayout(s).panelRows, s.online ?? 0);
  const offset = s.panelOffset;
  const room = s.room;
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    client
      .presencePage({ offset, limit })
      .then((page) => {
        if (current) dispatch({ type: 'who/page', page: { offset, count: page.count, members: page.members } });
      })
      .catch((err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        if (current) dispatch({ type: 'system', text: `cannot list #${room}: ${why}`, level: 'warn', now: Date.now() });
      });
    return () => {
      current = false;
    };
  }, [client, dispatch, wanted, offset, limit, room]);
}
