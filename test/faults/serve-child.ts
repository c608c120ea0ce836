/**
 * `rtchat serve` as a child on a fixed port, so that a test can kill -9 it
 * and start it again where clients expect it.
 */
import { childEnv } from './proc.js';
import { spawnRtchat, withTimeout, type RtchatProcess } from '../helpers/index.js';

export interface ServeChild extends RtchatProcess {
  url: string;
  port: number;
}

export async function startServeChild(options: {
  port: number;
  args: string[];
  timeoutMs?: number;
}): Promise<ServeChild> {
  const proc = spawnRtchat(
    ['serve', '--host', '127.0.0.1', '--port', String(options.port), '--log-level', 'error', ...options.args],
    { env: childEnv() },
  );
  const ready = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (proc.stdout().includes('rtchat listening on')) resolve();
    };
    proc.child.stdout?.on('data', check);
    check();
    void proc.exited.then((e) =>
      reject(new Error(`serve exited (${e.code ?? e.signal}) before listening: ${proc.stderr()}`)),
    );
  });
  try {
    await withTimeout(ready, options.timeoutMs ?? 20_000, 'the rtchat listening line');
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return { ...proc, port: options.port, url: `http://127.0.0.1:${options.port}` };
}
