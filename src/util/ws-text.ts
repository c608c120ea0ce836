import type { RawData } from 'ws';

/**
 * The text of a WebSocket message. ws hands a message over as a Buffer (the
 * default binaryType), an ArrayBuffer or a Buffer[] (binaryType 'fragments'):
 * `String(data)` would not be the text of the last two.
 */
export function wsText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
