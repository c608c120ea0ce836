/**
 * `rtchat join` without a terminal: stdin lines go out as messages, the
 * room's messages come out on stdout one per line (or every protocol event as
 * JSON), diagnostics go to stderr. At stdin EOF it waits until it is online,
 * every send is acked, and the stream has caught up with both the room's head
 * at join time and its own messages (so the transcript is deterministic), then
 * exits 0, unless `stay` keeps it listening.
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
import { readNumberedLines } from './stdin-lines.js';

/** Lines sent but not yet acked before reading stdin waits: a full burst of the rate limit and then some. */
const READ_AHEAD = 64;

export interface JoinPipeOptions extends StreamRunOptions {
  /** Start after this seq, or at the head (`now`: new messages only); default the recent history. */
  since?: Since | undefined;
  /** Keep receiving after stdin ends. */
  stay: boolean;
  /** Print one's own messages too; default true. */
  echo: boolean;
  /** How long to wait after EOF for pending acks, ms, before exit 4. */
  ackTimeoutMs: number;
  input?: NodeJS.ReadableStream;
}

export async function runJoinPipe(o: JoinPipeOptions): Promise<number> {
  const end = new RunEnd();
  endOnSignals(end);
  const client = await openClient({
    servers: o.servers,
    room: o.room,
    nick: o.nick,
    token: o.token,
    ca: o.ca,
    via: o.via,
    ...sinceOptions(o.since),
  });
  const out = (s: string): void => {
    if (!end.ended) process.stdout.write(s);
  };
  client.on('message', (m, meta) => {
    if (meta.own && !o.echo) return;
    out(o.json ? jsonLine(m) : formatMessageLine(m, { color: o.color }));
  });
  if (o.json) {
    client.on('hello', (e) => out(jsonLine(e)));
    client.on('presence', (e) => out(jsonLine(e)));
    client.on('gap', (e) => out(jsonLine(e)));
    client.on('reset', (e) => out(jsonLine(e)));
    client.on('ack', (e) => out(jsonLine(e)));
  } else {
    client.on('gap', noteGap);
    client.on('reset', (r) => note(`the room's log was reset (head ${r.head})`));
  }
  let failed = 0;
  /** The stdin line number of each message, for "line 3 not sent: …". */
  const lineOf = new Map<string, number>();
  client.on('outbox', (m) => {
    const line = lineOf.get(m.cid);
    if (m.status !== 'pending') lineOf.delete(m.cid);
    if (m.status !== 'failed') return;
    failed++;
    note(`${line === undefined ? '' : `line ${line} `}not sent: ${m.reason ?? m.error ?? 'refused'}`);
  });
  reportState(client, end);

  // The seq the stream must reach before a run without --stay may end.
  let target = 0;
  let wakeCaughtUp: (() => void) | undefined;
  const recheck = (): void => {
    if (wakeCaughtUp && client.cursor.seq >= target) wakeCaughtUp();
  };
  client.on('hello', (h) => {
    target = Math.max(target, h.head);
    recheck();
  });
  client.on('ack', (a) => {
    target = Math.max(target, a.seq);
    recheck();
  });
  // A new log (another epoch) restarts the numbering: the old head would never be reached.
  client.on('reset', (r) => {
    target = r.head;
    recheck();
  });
  client.on('message', recheck);
  const caughtUp = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wakeCaughtUp = resolve;
      recheck();
    });

  const started = client.start();
  started.catch((err: unknown) => end.fail(err));

  const pump = async (): Promise<void> => {
    // The outbox keeps the lines in order (pacing, retries); this only bounds
    // how far stdin is read ahead of the acks, since the rate limit lets out
    // far fewer lines per second than a pipe can deliver.
    const ahead: string[] = [];
    for await (const { line, text } of readNumberedLines(o.input ?? process.stdin)) {
      if (end.ended) return;
      const m = client.send(text);
      lineOf.set(m.cid, line);
      // A refusal is reported by the outbox listener.
      if (m.status !== 'pending') continue;
      ahead.push(m.cid);
      const oldest = ahead.length >= READ_AHEAD ? ahead.shift() : undefined;
      if (oldest !== undefined) await client.whenAcked(oldest).catch(() => undefined);
    }
    if (end.ended || o.stay) return;
    let timer: NodeJS.Timeout | undefined;
    const acked = await Promise.race([
      (async () => {
        await started;
        await client.whenIdle();
        await caughtUp();
        return true;
      })(),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), o.ackTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (acked) end.finish(failed > 0 ? EXIT.error : EXIT.ok);
    else {
      const pending = client.outbox().filter((m) => m.status === 'pending').length;
      const why = pending > 0 ? `${pending} message(s) not acked` : 'the stream did not catch up';
      end.fail(new CliError(`${why} within ${o.ackTimeoutMs / 1000}s`, EXIT.timeout));
    }
  };
  pump().catch((err: unknown) => end.fail(err));

  try {
    return await end.done;
  } finally {
    await stopClient(client);
    await flushStdout();
  }
}
