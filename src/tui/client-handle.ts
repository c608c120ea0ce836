/**
 * What the TUI needs of a client: the ChatClientApi with the several-rooms
 * methods of the client core (spec B1), plus typed `on`/`off`. ChatClient
 * fits it; UI tests pass a small fake driven by hand.
 */
import type { EventEmitter } from 'node:events';
import type { PresenceEvent } from '../protocol/index.js';
import type { ChatClientApi, ChatClientEvents, Cursor, OutgoingMessage } from '../client/types.js';

/** The client core's several-rooms surface (spec B1), as the TUI uses it. */
export interface RoomsApi {
  /** Every room joined, in join order. */
  readonly rooms: string[];
  /**
   * Joins one more room on the same transport; resolves once its hello
   * arrived. `cursor` resumes it, `newOnly` starts it at its head.
   */
  addRoom(room: string, options?: { cursor?: Partial<Cursor>; newOnly?: boolean }): Promise<void>;
  /** Leaves one room; the others stay. */
  removeRoom(room: string): Promise<void>;
  /** Which room `room`, `cursor`, `presence` and a `send` without a room mean; moves no network state. */
  setActiveRoom(room: string): void;
  cursorOf(room: string): Cursor;
  presenceOf(room: string): PresenceEvent | undefined;
  /** Queues a message for `options.room` (default: the active room). */
  send(text: string, options?: { room?: string }): OutgoingMessage;
}

export type ChatClientHandle = ChatClientApi & RoomsApi & Pick<EventEmitter<ChatClientEvents>, 'on' | 'off'>;

/** A client core with or without the several-rooms methods (roomsHandle makes it a ChatClientHandle). */
export type SingleRoomClient = ChatClientApi & Partial<RoomsApi> & Pick<EventEmitter<ChatClientEvents>, 'on' | 'off'>;

/**
 * The handle for `client`: the client itself when it has the several-rooms
 * methods; else (a client core of one room) a stand-in in which adding a room
 * replaces the one joined, so the TUI still works, one room at a time.
 */
export function roomsHandle(client: SingleRoomClient): ChatClientHandle {
  if (typeof client.addRoom === 'function') return client as ChatClientHandle;
  const joined = (): string[] => [client.room];
  const handle: RoomsApi = {
    get rooms() {
      return joined();
    },
    addRoom: (room) => client.joinRoom(room),
    removeRoom: async () => undefined,
    setActiveRoom: () => undefined,
    cursorOf: () => client.cursor,
    presenceOf: () => client.presence,
    send: (text) => client.send(text),
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in handle) return Reflect.get(handle, prop, handle) as unknown;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as ChatClientHandle;
}
