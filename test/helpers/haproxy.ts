/**
 * A real HAProxy running the config of docs/scale-out.md: the block is taken
 * from the doc as it is, with only the node addresses and the `bind` port
 * replaced, written to a temp dir and run in the foreground (`-db`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docBlock, substitute } from './doc-block.js';
import { freePort } from './ports.js';
import { findBinary, startProxyProcess, type ProxyProcess } from './proxy-process.js';
import { makeTempDir } from './tmp-dir.js';

/** The documented config for these two nodes, listening on `port`. */
export function haproxyConfig(nodes: readonly [string, string], port: number): string {
  return substitute(docBlock('docs/scale-out.md', 'haproxy'), [
    [/\b10\.0\.0\.1:7001\b/, new URL(nodes[0]).host],
    [/\b10\.0\.0\.2:7002\b/, new URL(nodes[1]).host],
    [/^(\s*)bind :80$/m, `$1bind 127.0.0.1:${port}`],
  ]);
}

export async function startHaproxy(nodes: readonly [string, string]): Promise<ProxyProcess> {
  const binary = findBinary('haproxy', 'haproxy');
  const dir = await makeTempDir('rtchat-haproxy-');
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  await writeFile(config, haproxyConfig(nodes, port));
  return startProxyProcess({ name: 'haproxy', binary, args: ['-db', '-f', config], dir, port });
}
