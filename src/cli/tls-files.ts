/**
 * Reading the PEM files of `serve --tls-cert/--tls-key` and of clients'
 * `--ca`, with one-line usage errors (exit 2) for a missing, unreadable or
 * malformed file, before any socket is opened.
 */
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from './exit-codes.js';

function readPem(flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'EIO';
    throw new CliError(`${flag} ${file}: cannot read the file (${code})`, EXIT.usage);
  }
  if (!text.includes('-----BEGIN ')) throw new CliError(`${flag} ${file}: not a PEM file`, EXIT.usage);
  return text;
}

/** The certificate chain and key, checked to belong together. */
export function readTlsFiles(certFile: string, keyFile: string): { cert: string; key: string } {
  const cert = readPem('--tls-cert', certFile);
  const key = readPem('--tls-key', keyFile);
  try {
    // node:tls only when serving TLS: its load time is not for every command.
    process.getBuiltinModule('node:tls').createSecureContext({ cert, key });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(`--tls-cert/--tls-key: cannot use them together (${reason})`, EXIT.usage);
  }
  return { cert, key };
}

/** `--ca FILE`: extra CA certificates (PEM) trusted besides the system ones. */
export function readCaFile(file: string): string {
  const pem = readPem('--ca', file);
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new CliError(`--ca ${file}: holds no certificate`, EXIT.usage);
  return pem;
}
