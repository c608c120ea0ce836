/**
 * `rtchat tail`: prints a room's messages as they come, resuming across
 * reconnects through the ChatClient's cursor; ends after `count` messages
 * (exit 0) or `timeout` (exit 4 when short of `count`).
 */
import { sinceOptions, type Since } from './arg-checks.js';
import { CliError, EXIT } from './exit-codes.js';
import {
  endOnSignals,
  noteGap,
  openClient,
  reportState,
  RunEnd,
  stopClient,
  type StreamRunOptions,
} from './client-run.js';
import { flushStdout, formatMessageLine, jsonLine, note } from './line-output.js';

export interface TailOptions extends StreamRunOptions {
  /** Start after this seq, or at the head (`now`); without it, the server's recent history comes first. */
  since?: Since | undefined;
  /** Stop after this many messages. */
  count?: number | undefined;
  /** Stop after this many ms. */
  timeoutMs?: number | undefined;
}

export async function runTail(o: TailOptions): Promise<number> {
  const end = new RunEnd();
  endOnSignals(end);
  const client = await openClient({
    servers: o.servers,
    room: o.room,
    nick: o.nick,
    token: o.token,
    ca: o.ca,
    via: o.via,
    // A reader is not a member of the conversation.
    present: false,
    ...sinceOptions(o.since),
  });
  let received = 0;
  client.on('message', (m) => {
    if (end.ended) return;
    received++;
    process.stdout.write(o.json ? jsonLine(m) : formatMessageLine(m, { color: o.color }));
    if (o.count !== undefined && received >= o.count) end.finish(EXIT.ok);
  });
  client.on('gap', (g) => {
    if (end.ended) return;
    if (o.json) process.stdout.write(jsonLine(g));
    else noteGap(g);
  });
  client.on('reset', (r) => {
    if (end.ended) return;
    if (o.json) process.stdout.write(jsonLine(r));
    else note(`the room's log was reset (head ${r.head}); replaying from its start`);
  });
  reportState(client, end);

  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => end.finish(-1), o.timeoutMs);
  client.start().catch((err: unknown) => end.fail(err));
  let code: number;
  try {
    code = await end.done;
  } finally {
    clearTimeout(timer);
    await stopClient(client);
    await flushStdout();
  }
  if (code === -1) {
    if (o.count !== undefined && received < o.count) {
      throw new CliError(`timeout: ${received} of ${o.count} messages in ${(o.timeoutMs ?? 0) / 1000}s`, EXIT.timeout);
    }
    return EXIT.ok;
  }
  return code;
}
