/**
 * What the TUI needs of a client: the ChatClientApi (several rooms included)
 * plus typed `on`/`off`. ChatClient fits it; UI tests pass a small fake
 * driven by hand (test/tui/fake-client.ts).
 */
import type { EventEmitter } from 'node:events';
import type { ChatClientApi, ChatClientEvents } from '../client/types.js';

export type ChatClientHandle = ChatClientApi & Pick<EventEmitter<ChatClientEvents>, 'on' | 'off'>;
