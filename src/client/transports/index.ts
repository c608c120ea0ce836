import type { Via } from '../../protocol/index.js';
import { longpollTransport } from './longpoll.js';
import { sseTransport } from './sse.js';
import type { TransportFactory } from './transport.js';
import { wsTransport } from './ws.js';

export type { Transport, TransportFactory, TransportHandlers, TransportOptions } from './transport.js';

/** The adapters a ChatClient uses unless its `transports` option replaces some. */
export const defaultTransports: Record<Via, TransportFactory> = {
  ws: wsTransport,
  sse: sseTransport,
  longpoll: longpollTransport,
};
