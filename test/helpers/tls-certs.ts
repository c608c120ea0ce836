/**
 * A throwaway certificate authority made with the `openssl` binary: a CA,
 * a server certificate it signs for 127.0.0.1 and localhost, and a second,
 * unrelated CA (to check that a certificate it does not sign is refused).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeDir } from './tmp-dir.js';

const run = promisify(execFile);

export interface TestCerts {
  dir: string;
  /** PEM files. */
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A CA that did not sign the server certificate. */
  otherCaFile: string;
  /** PEM texts of the same. */
  ca: string;
  cert: string;
  key: string;
  cleanup(): Promise<void>;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
  );
}

export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await makeTempDir('rtchat-tls-');
  try {
    await makeCa(dir, 'ca');
    await makeCa(dir, 'other-ca');
    await openssl(
      dir,
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
    );
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    await openssl(
      dir,
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.pem',
    );
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
  const file = (name: string): string => join(dir, name);
  return {
    dir,
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    otherCaFile: file('other-ca.pem'),
    ca: await readFile(file('ca.pem'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
    key: await readFile(file('server.key'), 'utf8'),
    cleanup: () => removeDir(dir),
  };
}
