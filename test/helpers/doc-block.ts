/**
 * Config blocks taken from the docs, so that the documented config is the
 * tested one. A block is the fenced code block right after a marker line
 * `<!-- tested: NAME … -->`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './spawn.js';

/** The block marked `tested: name` in `doc` (a path from the repository root). Throws when absent. */
export function docBlock(doc: string, name: string): string {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const marker = lines.findIndex((l) => new RegExp(`^<!-- tested: ${name}( |-->)`).test(l));
  if (marker < 0) throw new Error(`${doc} has no "<!-- tested: ${name} -->" marker`);
  const open = marker + 1;
  if (!lines[open]?.startsWith('```')) {
    throw new Error(`${doc}: the "tested: ${name}" marker is not followed by a code block`);
  }
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  if (close < 0) throw new Error(`${doc}: the "tested: ${name}" block is not closed`);
  return lines.slice(open + 1, close).join('\n') + '\n';
}

/**
 * Applies each replacement once or more; throws when one matches nothing, so
 * that a doc edit cannot silently leave the test running something else.
 */
export function substitute(text: string, replacements: ReadonlyArray<readonly [RegExp, string]>): string {
  let out = text;
  for (const [pattern, replacement] of replacements) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    if (!global.test(out)) throw new Error(`the documented block no longer contains ${pattern}`);
    out = out.replace(global, replacement);
  }
  return out;
}
