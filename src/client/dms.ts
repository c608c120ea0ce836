/**
 * Direct messages from the client side (docs/protocol.md 8.4): open the DM
 * room with an account, list the caller's DMs. A DM is then an ordinary
 * room to join and send to; only its two accounts can.
 */
import { dmRoomName, isDmRoom, isRecord, type DmSummary } from '../protocol/index.js';
import { ClientError } from './errors.js';
import { callJson, type ServerCall } from './http-json.js';

export { dmRoomName, isDmRoom };

export interface OpenDmRequest extends ServerCall {
  /** The other account's name; a leading `@` is dropped. */
  to: string;
}

/**
 * `POST /dms`: opens (or finds) the DM room with `to`.
 * @returns the room to join and the peer; `created` is true when it was opened now.
 * @throws ClientError `forbidden` without an account, `not_found` for an
 *   unknown account, `bad_request` for oneself or a bad name, network codes otherwise.
 */
export async function openDm(r: OpenDmRequest): Promise<{ room: string; peer: string; created: boolean }> {
  const to = r.to.startsWith('@') ? r.to.slice(1) : r.to;
  const { status, body } = await callJson({ ...r, path: '/dms', method: 'POST', body: { to } });
  if (!isRecord(body) || typeof body.room !== 'string' || typeof body.peer !== 'string') {
    throw new ClientError('protocol', 'POST /dms answered without a room');
  }
  return { room: body.room, peer: body.peer, created: status === 201 };
}

/**
 * `GET /dms`: the caller's DM rooms with their head seq, sorted by peer
 * (`[]` without an account).
 * @throws ClientError with the server's code, or a network code.
 */
export async function listDms(r: ServerCall): Promise<DmSummary[]> {
  const { body } = await callJson({ ...r, path: '/dms' });
  const list = isRecord(body) ? body.dms : undefined;
  if (!Array.isArray(list)) throw new ClientError('protocol', 'GET /dms answered without a list');
  return list.filter(
    (d): d is DmSummary =>
      isRecord(d) && typeof d.room === 'string' && typeof d.peer === 'string' && typeof d.head === 'number',
  );
}
