/**
 * What `rooms` and `who` share: one GET on the first server that answers, a
 * check that the body carries the expected list, and either JSON lines or a
 * table on stdout. Anything else the server says is a one-line error.
 */
import { trustedCas } from '../client/tls-trust.js';
import { isRecord } from '../protocol/validate.js';
import { resolveClientAuth } from './client-auth.js';
import { useColor, type ClientArgs } from './common-options.js';
import { CliError, EXIT } from './exit-codes.js';
import { callFirstReachable, httpError } from './http-errors.js';
import { flushStdout, guardStdout, note } from './line-output.js';
import { parseServers } from './server-list.js';
import { formatTable } from './table-output.js';

type Item = Record<string, unknown>;

export interface ListingOptions {
  args: ClientArgs;
  /** Path and query of the GET, starting with `/`. */
  path: string;
  /** The body's field that holds the list. */
  field: string;
  /** What `--json` prints, given the whole body and the list's records. */
  json(body: Item, items: Item[]): string;
  /** Table column titles. */
  header: string[];
  /** One table row; `now` is the time the answer came. */
  row(item: Item, now: number): string[];
  /** A line for stderr after the table (e.g. "more members exist"), given the body. */
  footer?(body: Item, items: Item[]): string | undefined;
}

export async function runListing(o: ListingOptions): Promise<void> {
  guardStdout();
  const servers = parseServers(o.args.server);
  const auth = resolveClientAuth(o.args, servers);
  const { server, res } = await callFirstReachable({
    servers,
    path: o.path,
    token: auth.token,
    ca: trustedCas(auth.ca),
  });
  if (res.status !== 200) throw httpError(server, res);
  const body = res.body;
  const list = isRecord(body) ? body[o.field] : undefined;
  if (!isRecord(body) || !Array.isArray(list))
    throw new CliError(`${server}: unexpected answer to GET ${o.path}`, EXIT.error);
  const items = list.filter(isRecord);
  if (o.args.json) {
    process.stdout.write(o.json(body, items));
  } else {
    const now = Date.now();
    process.stdout.write(
      formatTable(
        o.header,
        items.map((item) => o.row(item, now)),
        { color: useColor() },
      ),
    );
  }
  await flushStdout();
  const footer = o.footer?.(body, items);
  if (footer !== undefined) note(footer);
}
