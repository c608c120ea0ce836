/**
 * What one idle client costs on the wire, per transport (`rtchat bench
 * --idle`): the project's own ChatClient, joined with a nick to a room of its
 * own, talks through a CountingProxy; after it has settled, the proxy's
 * counters run for a window and are scaled to an hour. The transports are
 * measured side by side, each through its own proxy.
 */
import { randomBytes } from 'node:crypto';
import { ChatClient } from '../../client/chat-client.js';
import type { Via } from '../../protocol/events.js';
import { formatTable } from '../report.js';
import { CLOSE_SEGMENTS, CountingProxy, OPEN_SEGMENTS, type ProxyCounts } from './counting-proxy.js';

export interface IdleBenchOptions {
  /** Server base URL (the client's traffic goes through a proxy to it). */
  server: string;
  token?: string;
  vias: Via[];
  /** Measured window, seconds. 300 covers whole periods of the 15 s heartbeat, 25 s polls and 60 s idle pings. */
  windowS: number;
  /** Also measure each transport with the latency panel open (pings every 5 s). */
  latencyPanel: boolean;
  /** Wait after the client is online before the window starts, ms. Default 3000. */
  settleMs?: number;
  onProgress?: (secondsLeft: number) => void;
}

export interface IdleRow {
  via: Via;
  latencyPanel: boolean;
  windowS: number;
  /** Per idle hour, scaled from the window. */
  perHour: {
    bytesUp: number;
    bytesDown: number;
    /** Data-carrying segments both ways. */
    dataSegments: number;
    /** Data segments plus handshake (3) and close (4) segments of every connection; pure ACKs not included. */
    packets: number;
    /** Bursts of traffic after ≥ 1 s of silence: each would wake a sleeping radio. */
    wakeups: number;
    connections: number;
  };
  /** Reconnects during the window: a clean measurement has none. */
  reconnects: number;
  raw: ProxyCounts;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measureOne(o: IdleBenchOptions, via: Via, latencyPanel: boolean): Promise<IdleRow> {
  const proxy = await CountingProxy.start(o.server);
  const client = new ChatClient({
    servers: [proxy.url],
    room: `idle-${randomBytes(4).toString('hex')}`,
    nick: `idle-${via}`,
    via,
    ...(o.token !== undefined && { token: o.token }),
  });
  let reconnects = 0;
  let measuring = false;
  client.on('state', (c) => {
    if (measuring && c.newState.name === 'reconnecting') reconnects++;
  });
  try {
    client.setLatencyFocus(latencyPanel);
    await client.start();
    await delay(o.settleMs ?? 3000);
    proxy.reset();
    measuring = true;
    await delay(o.windowS * 1000);
    measuring = false;
    const raw = proxy.snapshot();
    const scale = 3600 / o.windowS;
    const dataSegments = raw.readsUp + raw.readsDown;
    return {
      via,
      latencyPanel,
      windowS: o.windowS,
      perHour: {
        bytesUp: raw.bytesUp * scale,
        bytesDown: raw.bytesDown * scale,
        dataSegments: dataSegments * scale,
        packets: (dataSegments + OPEN_SEGMENTS * raw.opened + CLOSE_SEGMENTS * raw.closed) * scale,
        wakeups: raw.bursts * scale,
        connections: raw.opened * scale,
      },
      reconnects,
      raw,
    };
  } finally {
    await client.stop();
    await proxy.close();
  }
}

/** Measures every transport (and, with `latencyPanel`, each again with the panel open) side by side. */
export async function measureIdle(o: IdleBenchOptions): Promise<IdleRow[]> {
  const panels = o.latencyPanel ? [false, true] : [false];
  const cases = o.vias.flatMap((via) => panels.map((panel): [Via, boolean] => [via, panel]));
  let ticker: NodeJS.Timeout | undefined;
  if (o.onProgress) {
    const end = Date.now() + (o.settleMs ?? 3000) + o.windowS * 1000;
    const report = o.onProgress;
    ticker = setInterval(() => report(Math.max(0, Math.round((end - Date.now()) / 1000))), 1000);
  }
  try {
    return await Promise.all(cases.map(([via, panel]) => measureOne(o, via, panel)));
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

/** The idle table, one row per measured case. */
export function formatIdle(rows: IdleRow[]): string {
  const int = (n: number): string => Math.round(n).toLocaleString('en-US');
  const head = ['transport', 'bytes up/h', 'bytes down/h', 'data segments/h', 'packets/h', 'wake-ups/h'];
  head.push('connections/h');
  const body = rows.map((r) => [
    r.latencyPanel ? `${r.via} (latency panel open)` : r.via,
    int(r.perHour.bytesUp),
    int(r.perHour.bytesDown),
    int(r.perHour.dataSegments),
    int(r.perHour.packets),
    int(r.perHour.wakeups),
    int(r.perHour.connections),
  ]);
  const windowS = rows[0]?.windowS ?? 0;
  const notes = [
    `one idle client per transport, each in a room of its own, counted by a proxy over ${windowS} s, scaled to an hour`,
    'packets = data segments + 3 per connection opened + 4 per connection closed (pure ACKs not counted)',
    'wake-ups = bursts of traffic after at least 1 s of silence',
  ];
  const reconnected = rows.filter((r) => r.reconnects > 0).map((r) => `${r.via} reconnected ${r.reconnects}×`);
  if (reconnected.length > 0) notes.push(`WARNING: ${reconnected.join(', ')} in the window: the figures include it`);
  return [formatTable(head, body), '', ...notes].join('\n');
}
