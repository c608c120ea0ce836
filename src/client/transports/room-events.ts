/**
 * Parsing of server events off the wire. Unknown types and malformed objects
 * are dropped, as the contract asks; only shapes the client relies on pass.
 */
import { isRecord, type RoomEvent, type ServerEvent } from '../../protocol/index.js';

const ROOM_TYPES: ReadonlySet<string> = new Set(['hello', 'message', 'presence', 'gap', 'reset']);

/** Parses one JSON text into a server event, or undefined when it is not one we know. */
export function parseServerEvent(text: string): ServerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return asServerEvent(value);
}

export function asServerEvent(value: unknown): ServerEvent | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'message':
      if (typeof value.seq !== 'number' || typeof value.room !== 'string') return undefined;
      break;
    case 'hello':
    case 'reset':
      if (typeof value.epoch !== 'string' || typeof value.room !== 'string') return undefined;
      break;
    case 'gap':
      if (typeof value.from !== 'number' || typeof value.to !== 'number') return undefined;
      break;
    case 'presence':
      if (typeof value.version !== 'number' || !Array.isArray(value.members)) return undefined;
      break;
    case 'ack':
      if (typeof value.cid !== 'string' || typeof value.seq !== 'number') return undefined;
      break;
    case 'pong':
      if (typeof value.t !== 'number' || typeof value.server !== 'number') return undefined;
      break;
    case 'error':
      if (typeof value.code !== 'string') return undefined;
      break;
    case 'dm':
      if (typeof value.room !== 'string' || typeof value.peer !== 'string') return undefined;
      break;
    default:
      return undefined;
  }
  // The checks above pin down the fields the client reads; the rest is display data.
  return value as unknown as ServerEvent;
}

export function isRoomEvent(event: ServerEvent): event is RoomEvent {
  return ROOM_TYPES.has(event.type);
}
