/**
 * One line for a TLS failure, from the error codes Node and OpenSSL give
 * (they arrive as `code`, or as the `cause` of undici's fetch errors).
 * Retrying cannot fix any of these, so the client stops and says why.
 */

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

function codesOf(err: unknown): Array<{ code: string; message: string }> {
  const out: Array<{ code: string; message: string }> = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    out.push({ code: typeof code === 'string' ? code : '', message: typeof message === 'string' ? message : '' });
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** The one-line explanation of a TLS problem in `err`, or undefined when it is not one. */
export function describeTlsError(err: unknown): string | undefined {
  for (const { code, message } of codesOf(err)) {
    if (UNTRUSTED.has(code)) return `the server's certificate is not trusted (${code}); pass its CA with --ca FILE`;
    if (EXPIRED.has(code)) return `the server's certificate is not valid now (${code})`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's certificate is for another host name (${code})`;
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message)) {
      return 'the server does not speak TLS: use an http:// URL';
    }
  }
  return undefined;
}
