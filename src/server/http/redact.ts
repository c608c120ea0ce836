/** Query parameters whose values are credentials: never written to a log. */
const SECRET_PARAMS = ['token', 'ticket'];

/**
 * The request target with the values of `token` and `ticket` replaced by
 * `[redacted]`, for logs. Anything unparsable is logged as its path only.
 */
export function redactUrl(target: string | undefined): string {
  const raw = target ?? '/';
  const q = raw.indexOf('?');
  if (q < 0) return raw;
  const params = new URLSearchParams(raw.slice(q + 1));
  let changed = false;
  for (const name of SECRET_PARAMS) {
    if (params.has(name)) {
      params.set(name, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${raw.slice(0, q)}?${params.toString()}` : raw;
}
