/**
 * Whether something speaks TLS at a host and port: the one way to tell "an
 * http URL aimed at an https server" from a server that merely hung up, since
 * a TLS server answers plain HTTP by closing the connection.
 */
import tls from 'node:tls';
import { isIP } from 'node:net';

/**
 * Resolves true when a TLS handshake with `url`'s host and port completes
 * (the certificate is not checked: only the protocol matters here), false on
 * any failure or after `timeoutMs` (ms, default 2000). Never rejects.
 */
export function speaksTls(url: URL, timeoutMs = 2000): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise<boolean>((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const done = (answer: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
