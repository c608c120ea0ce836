import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatMessageLine, jsonLine } from '../../src/cli/line-output.js';
import { parseServers } from '../../src/cli/server-list.js';
import { readLines } from '../../src/cli/stdin-lines.js';

// 2026-01-02 03:04:05 in local time, whatever TZ the test runs in.
const ts = new Date(2026, 0, 2, 3, 4, 5).getTime();

describe('formatMessageLine', () => {
  it('prints HH:MM:SS nick: text', () => {
    expect(formatMessageLine({ ts, nick: 'ann', text: 'hi there' })).toBe('03:04:05 ann: hi there\n');
  });

  it('escapes terminal controls so one message stays one harmless line', () => {
    const line = formatMessageLine({ ts, nick: 'e\x1bvil', text: 'a\x1b[2Jb\nc\td\r\u009b\u202eX' });
    expect(line).toBe('03:04:05 e\\evil: a\\e[2Jb\\nc\\td\\r\\x9b\\u202eX\n');
    // eslint-disable-next-line no-control-regex -- checking that no control character got through
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  it('colours only when asked', () => {
    // eslint-disable-next-line no-control-regex -- SGR escapes are what is checked
    expect(formatMessageLine({ ts, nick: 'ann', text: 'x' }, { color: true })).toMatch(/\x1b\[\d+mann\x1b\[39m/);
  });
});

describe('jsonLine', () => {
  it('keeps the value but escapes C1, separators and bidi overrides', () => {
    const value = { text: 'a\u202eb\u2028c\u0085d\x1be' };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    // eslint-disable-next-line no-control-regex -- checking that no control character got through
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe('readLines', () => {
  it('splits on \\n and \\r\\n, skips empty lines, keeps a last unterminated line', async () => {
    // Split inside a multi-byte character and inside \r\n on purpose.
    const bytes = Buffer.from('a\r\n\nb é\r\nmid\rdle\nlast');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)];
    const lines: string[] = [];
    for await (const line of readLines(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(['a', 'b é', 'mid\ndle', 'last']);
  });
});

describe('parseServers', () => {
  it('takes a comma list, adds http:// and drops trailing slashes', () => {
    expect(parseServers('http://a:1/, b:2 ,,https://c')).toEqual(['http://a:1', 'http://b:2', 'https://c']);
  });

  it('refuses other schemes as a usage error', () => {
    expect(() => parseServers('ftp://x')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
