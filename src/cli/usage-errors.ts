/**
 * yargs' strict-mode complaints ("Unknown arguments: rom, bogus") in a
 * person's words, with "did you mean" suggestions by edit distance (`leven`)
 * among the commands or the flags of the command at hand.
 */
import leven from 'leven';

/** What parsing saw before validation failed: positionals and the flags the command knows. */
export interface ParseContext {
  /** Command and positional words, e.g. ['send', 'hi']; empty without a command. */
  positionals: string[];
  /** Option names the (sub)command knows, as declared (kebab-case), with aliases. */
  options: string[];
}

/** The closest candidate within a small edit distance, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Allow one edit per three letters or so: "servr" → "server", "prot" → "port", not "bogus" → "host".
  const budget = word.length <= 3 ? 1 : word.length <= 5 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = leven(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= budget ? best : undefined;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** The names in "Unknown argument(s): a, b", without yargs' camelCase twins of kebab ones. */
function unknownNames(list: string): string[] {
  const names = list
    .split(', ')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const set = new Set(names);
  return names.filter((n) => !(n !== kebab(n) && set.has(kebab(n))));
}

/** True when `name` was typed as a flag (`--name`, `-n`, `--name=…`, `--no-name`). */
function typedAsFlag(name: string, argv: readonly string[]): boolean {
  return argv.some((a) => {
    const flag = a.replace(/=.*$/, '');
    return flag === `--${name}` || flag === `-${name}` || flag === `--no-${name}`;
  });
}

/**
 * Rewrites one yargs failure message for people; messages it does not know
 * pass through. `commands` are the top-level command names.
 */
export function explainUsage(
  message: string,
  argv: readonly string[],
  ctx: ParseContext | undefined,
  commands: readonly string[],
): string {
  const choice = /^Invalid values:\s+Argument: (\S+), Given: (.+), Choices: (.+)$/s.exec(message.trim());
  if (choice?.[1] && choice[2] && choice[3]) {
    return `--${choice[1]} ${choice[2]} is not one of ${choice[3].replace(/"/g, '')}`;
  }
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  // Whatever else yargs says, it stays one line.
  if (!m?.[1]) return message.trim().replace(/:?\s*\n\s*/g, ': ');
  const command = ctx?.positionals[0];
  if (command === undefined || !commands.includes(command)) {
    const typed = command ?? unknownNames(m[1])[0] ?? '';
    const guess = closest(typed, commands);
    return guess
      ? `unknown command "${typed}"; did you mean "rtchat ${guess}"?`
      : `unknown command "${typed}"; the commands are ${commands.join(', ')} (rtchat --help)`;
  }
  const flags = (ctx?.options ?? []).filter((o) => o.length > 1);
  const parts = unknownNames(m[1]).map((name) => {
    if (!typedAsFlag(name, argv)) return `unexpected argument "${name}"`;
    const dashes = name.length === 1 ? '-' : '--';
    const guess = closest(name, flags);
    return guess ? `unknown option ${dashes}${name} (did you mean --${guess}?)` : `unknown option ${dashes}${name}`;
  });
  return `${parts.join(', ')}; rtchat ${command} --help lists the options`;
}
