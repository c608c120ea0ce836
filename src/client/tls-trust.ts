/**
 * What a client trusts for https and wss: with no `--ca`, Node's defaults;
 * with one, Node's bundled roots, the system's CA bundle (when the machine
 * has one at a usual place) and the given PEM. Node's `ca` option replaces
 * the defaults rather than adding to them, hence the explicit list.
 */
import { readFileSync } from 'node:fs';

/** Debian/Ubuntu/Alpine, Fedora/RHEL, macOS/BSD. */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

let system: readonly string[] | undefined;

function systemBundle(): readonly string[] {
  if (system !== undefined) return system;
  for (const file of SYSTEM_BUNDLES) {
    try {
      system = [readFileSync(file, 'utf8')];
      return system;
    } catch {
      // Not here; try the next place.
    }
  }
  system = [];
  return system;
}

/** The `ca` option for node:https, ws and undici; undefined (Node's defaults) without an extra CA. */
export function trustedCas(extraPem: string | undefined): string[] | undefined {
  if (extraPem === undefined) return undefined;
  // Loaded only here: node:tls costs start-up time that plain-http commands need not pay.
  const { rootCertificates } = process.getBuiltinModule('node:tls');
  return [...rootCertificates, ...systemBundle(), extraPem];
}
