/** CPU and memory of a process: /proc for a child we started, /metrics for a remote server. */
import { readFile } from 'node:fs/promises';

export interface ProcSample {
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
  rss: number;
}

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux Node runs on in practice. */
const CLK_TCK = 100;

/** Undefined where /proc is missing (not Linux) or the process is gone. */
export async function readProc(pid: number): Promise<ProcSample | undefined> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssKb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return { cpuSeconds: (utime + stime) / CLK_TCK, rss: Number(rssKb ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}

/** Reads prom-client's default process metrics; undefined when the server has none. */
export async function readMetrics(url: string, token?: string): Promise<ProcSample | undefined> {
  try {
    const res = await fetch(new URL('/metrics', url), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return undefined;
    const text = await res.text();
    const cpu = /^process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text)?.[1];
    const rss = /^process_resident_memory_bytes(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text)?.[1];
    if (cpu === undefined) return undefined;
    return { cpuSeconds: Number(cpu), rss: Number(rss ?? 0) };
  } catch {
    return undefined;
  }
}
