/**
 * The input history file: what goes in, what never does, how much is kept,
 * and two clients writing at once. Real files in a temp state directory.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HistoryFile, historyPath, parseHistory, storable } from '../../src/tui/input/history-file.js';
import { HISTORY_MAX } from '../../src/tui/state/input-reducer.js';
import { ROOT } from '../helpers/spawn.js';
import { makeTempDir, removeDir } from '../helpers/tmp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('rtchat-history-');
});
afterEach(() => removeDir(dir));

const env = (): NodeJS.ProcessEnv => ({ RTCHAT_STATE_DIR: dir });

describe('the history file', () => {
  test('lives in the state directory; a missing file is an empty history', async () => {
    expect(historyPath(env())).toBe(join(dir, 'history'));
    expect(await new HistoryFile({ file: join(dir, 'sub', 'history') }).load()).toEqual([]);
  });

  test('lines go in as JSON strings, one a line, in order; the next run loads them', async () => {
    const file = historyPath(env());
    const h = new HistoryFile({ file });
    await h.add('hello');
    await h.add('/join ops  ');
    await h.add('multi "quoted" \\ line\u2028é');
    expect(await readFile(file, 'utf8')).toBe('"hello"\n"/join ops"\n"multi \\"quoted\\" \\\\ line\u2028é"\n');
    expect(await new HistoryFile({ file }).load()).toEqual(['hello', '/join ops', 'multi "quoted" \\ line\u2028é']);
  });

  test('a line equal to the one before is not written twice', async () => {
    const file = historyPath(env());
    await writeFile(file, '"again"\n');
    const h = new HistoryFile({ file });
    await h.load();
    await h.add('again');
    await h.add('other');
    await h.add('other');
    expect(parseHistory(await readFile(file, 'utf8'))).toEqual(['again', 'other']);
  });

  test.each([
    ['an account token', 'my token is rtc1.ann.0123456789abcdef0123456789abcdef'],
    ['a bare account token', 'rtc1.ann.0123456789abcdef0123456789abcdef'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJl'],
    ['a /login line', '/login ann hunter2'],
    ['an /oper line', '/OPER root secret'],
    ['a line typed with a leading space', ' not for the file'],
    ['an empty line', '   '],
  ])('%s is never written', async (_what, line) => {
    const file = historyPath(env());
    const h = new HistoryFile({ file });
    expect(storable(line)).toBe(false);
    await h.add(line);
    await h.add('kept');
    expect(parseHistory(await readFile(file, 'utf8'))).toEqual(['kept']);
  });

  test('ordinary lines that merely look alike are kept', () => {
    for (const line of ['rtc1 is the token prefix', 'see /login docs', 'e.g. eyJ is base64 for {"']) {
      expect(storable(line)).toBe(true);
    }
  });

  test('keeps the newest 1000 lines: a longer file is cut back at start, atomically', async () => {
    expect(HISTORY_MAX).toBe(1000);
    const file = historyPath(env());
    const all = Array.from({ length: 1500 }, (_, i) => `line ${i}`);
    await writeFile(file, all.map((l) => JSON.stringify(l) + '\n').join('') + 'not json\n{"x":1}\n');
    const lines = await new HistoryFile({ file }).load();
    expect(lines).toEqual(all.slice(-1000));
    expect(parseHistory(await readFile(file, 'utf8'))).toEqual(all.slice(-1000));
  });

  test('a long run cuts the file back too, never below the newest lines', async () => {
    const file = historyPath(env());
    const h = new HistoryFile({ file, max: 10 });
    for (let i = 0; i < 35; i++) await h.add(`n${i}`);
    const kept = parseHistory(await readFile(file, 'utf8'));
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => `n${25 + i}`));
  });

  test('an unwritable state directory rejects the write (the TUI says so once)', async () => {
    await writeFile(join(dir, 'blocker'), 'a file, not a directory');
    const h = new HistoryFile({ file: join(dir, 'blocker', 'history') });
    await expect(h.add('x')).rejects.toThrow();
  });
});

describe('two clients at once', () => {
  test('two processes appending and cutting back at the same time leave only whole lines', async () => {
    const file = join(dir, 'state', 'history');
    await mkdir(join(dir, 'state'));
    const module = join(ROOT, 'dist', 'tui', 'input', 'history-file.js');
    const script = `
      const { HistoryFile } = await import(${JSON.stringify(module)});
      const h = new HistoryFile({ file: process.argv[1], max: 50 });
      await h.load();
      const tag = process.argv[2];
      await Promise.all(Array.from({ length: 400 }, (_, i) => h.add(tag + ' ' + i + ' ' + 'x'.repeat(1 + (i % 97)))));
    `;
    const run = (tag: string) =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, file, tag], { timeout: 60_000 });
    await Promise.all([run('a'), run('b')]);
    const text = await readFile(file, 'utf8');
    const raw = text.split('\n').filter((l) => l !== '');
    // Every line is one whole entry of one writer: no torn or interleaved line.
    for (const line of raw) expect(line).toMatch(/^"[ab] \d+ x+"$/);
    expect(parseHistory(text).length).toBe(raw.length);
    // Each writer's lines stay in the order written, and the newest line is one writer's last.
    for (const tag of ['a', 'b']) {
      const seqs = raw.filter((l) => l.startsWith(`"${tag} `)).map((l) => Number(l.split(' ')[1]));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(raw[raw.length - 1]).toMatch(/^"[ab] 399 /);
    expect(raw.length).toBeLessThanOrEqual(100);
    expect(await new HistoryFile({ file, max: 50 }).load()).toHaveLength(50);
  });
});
