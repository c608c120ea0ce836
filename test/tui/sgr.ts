/** Reads SGR (colour) state out of rendered frames, for UI assertions. */

// eslint-disable-next-line no-control-regex
const SGR_RE = /\x1b\[([0-9;]*)m/y;
// eslint-disable-next-line no-control-regex
const SGR_ALL_RE = /\x1b\[[0-9;]*m/g;

export function stripSgr(s: string): string {
  return s.replace(SGR_ALL_RE, '');
}

export interface Style {
  dim: boolean;
  bold: boolean;
  fg: number | undefined;
  bg: number | undefined;
}

function apply(st: Style, params: string): void {
  for (const code of (params || '0').split(';').map(Number)) {
    if (code === 0) Object.assign(st, { dim: false, bold: false, fg: undefined, bg: undefined });
    else if (code === 1) st.bold = true;
    else if (code === 2) st.dim = true;
    else if (code === 22) Object.assign(st, { dim: false, bold: false });
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) st.fg = code;
    else if (code === 39) st.fg = undefined;
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) st.bg = code;
    else if (code === 49) st.bg = undefined;
  }
}

/** The style in force at the first `needle` after the plain-text prefix `after` in `line`. */
export function styleAt(line: string, needle: string, after = ''): Style {
  const plain = stripSgr(line);
  const start = plain.indexOf(after);
  if (start < 0) throw new Error(`no ${JSON.stringify(after)} in ${JSON.stringify(plain)}`);
  const target = plain.indexOf(needle, start + after.length);
  if (target < 0) throw new Error(`no ${JSON.stringify(needle)} in ${JSON.stringify(plain)}`);
  const st: Style = { dim: false, bold: false, fg: undefined, bg: undefined };
  let plainPos = 0;
  for (let i = 0; i < line.length;) {
    SGR_RE.lastIndex = i;
    const m = SGR_RE.exec(line);
    if (m) {
      apply(st, m[1] ?? '');
      i += m[0].length;
      continue;
    }
    // Codes right before the needle apply to it; the needle's first char stops the scan.
    if (plainPos === target) break;
    i++;
    plainPos++;
  }
  return st;
}

/** The rendered line holding `text` (plain-text match). */
export function lineWith(frame: string, text: string): string {
  const line = frame.split('\n').find((l) => stripSgr(l).includes(text));
  if (line === undefined) throw new Error(`no line with ${JSON.stringify(text)} in:\n${stripSgr(frame)}`);
  return line;
}

export const FG = { red: 31, green: 32, yellow: 33 } as const;
export const BG = { yellow: 43 } as const;
