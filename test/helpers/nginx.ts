/**
 * A real nginx running the config block of docs/scale-out.md: the block is
 * taken from the doc as it is, with only the node addresses and the `listen`
 * port replaced, and included in a minimal nginx.conf whose pid file, logs and
 * temp paths are in a temp dir. One worker, so round robin is exact.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docBlock, substitute } from './doc-block.js';
import { freePort } from './ports.js';
import { findBinary, startProxyProcess, type ProxyProcess } from './proxy-process.js';
import { makeTempDir } from './tmp-dir.js';

export interface NginxProcess extends ProxyProcess {
  /** Access log lines: `METHOD URI STATUS UPSTREAM_ADDR`, one per request. */
  accessLog(): Promise<string[]>;
}

/** `host:port` of `http://host:port`. */
function hostPort(url: string): string {
  return new URL(url).host;
}

/** The documented block for these two nodes, listening on `port`. */
export function nginxSiteConfig(nodes: readonly [string, string], port: number): string {
  return substitute(docBlock('docs/scale-out.md', 'nginx'), [
    [/\b10\.0\.0\.1:7001\b/, hostPort(nodes[0])],
    [/\b10\.0\.0\.2:7002\b/, hostPort(nodes[1])],
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`],
  ]);
}

export async function startNginx(nodes: readonly [string, string]): Promise<NginxProcess> {
  const binary = findBinary('nginx', 'nginx');
  const dir = await makeTempDir('rtchat-nginx-');
  // Run as root, nginx's workers are `nobody`: they must reach the body temp files in here.
  await chmod(dir, 0o755);
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  const accessLog = join(dir, 'access.log');
  await writeFile(join(dir, 'rtchat.conf'), nginxSiteConfig(nodes, port));
  const temp = (kind: string): string => `${kind}_temp_path ${join(dir, kind)};`;
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      "  log_format upstreams '$request_method $uri $status $upstream_addr';",
      `  access_log ${accessLog} upstreams;`,
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      `  include ${join(dir, 'rtchat.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  // -e: the error log before the config is read (else /var/log/nginx/error.log).
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', 'daemon off;'];
  const proc = await startProxyProcess({ name: 'nginx', binary, args, dir, port, errorLog });
  return {
    ...proc,
    async accessLog() {
      const text = await readFile(accessLog, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
  };
}
