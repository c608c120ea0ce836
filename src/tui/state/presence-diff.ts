/**
 * What changed between two member lists, in words people use: who joined, who
 * left, who changed nick. Pure, so every case is tested without a terminal.
 */
import type { PresenceMember } from '../../protocol/index.js';

export interface Rename {
  from: string;
  to: string;
}

export interface PresenceDiff {
  joined: PresenceMember[];
  left: PresenceMember[];
  renamed: Rename[];
}

const keyOf = (m: PresenceMember): string => `${m.nick}\u0000${m.via}\u0000${m.since}`;

/** Removes and returns the first member of `list` that `match` accepts. */
function take(list: PresenceMember[], match: (m: PresenceMember) => boolean): PresenceMember | undefined {
  const i = list.findIndex(match);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

/**
 * Members are told apart by nick, transport and `since` (presence carries no
 * session). A member that left and one that joined in the same update pair up:
 * - with the same nick, it is one member that switched transport: not news;
 * - with the same `since` and `via`, it is one member that changed nick (the
 *   server keeps `since` and `via` across a nick change): a rename.
 * The lists must be complete (not truncated) for this to mean anything.
 */
export function presenceDiff(prev: readonly PresenceMember[], next: readonly PresenceMember[]): PresenceDiff {
  const before = new Set(prev.map(keyOf));
  const after = new Set(next.map(keyOf));
  const joined = next.filter((m) => !before.has(keyOf(m)));
  const left = prev.filter((m) => !after.has(keyOf(m)));
  const renamed: Rename[] = [];
  for (const gone of [...left]) {
    const same =
      take(joined, (m) => m.nick === gone.nick) ?? take(joined, (m) => m.since === gone.since && m.via === gone.via);
    if (same === undefined) continue;
    left.splice(left.indexOf(gone), 1);
    if (same.nick !== gone.nick) renamed.push({ from: gone.nick, to: same.nick });
  }
  return { joined, left, renamed };
}
