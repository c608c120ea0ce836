/**
 * What the TUI needs of a client: the ChatClientApi plus typed `on`/`off`.
 * ChatClient fits it; UI tests pass a small fake driven by hand.
 */
import type { EventEmitter } from 'node:events';
import type { ChatClientApi, ChatClientEvents } from '../client/types.js';

export type ChatClientHandle = ChatClientApi & Pick<EventEmitter<ChatClientEvents>, 'on' | 'off'>;
