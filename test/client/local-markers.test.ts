/**
 * LocalMarkers: read markers in the state directory for servers without
 * accounts. The file's place ($RTCHAT_STATE_DIR, XDG_STATE_HOME), the rule
 * (never back within an epoch), two clients on one machine merging instead
 * of overwriting each other, and a damaged file read as no markers.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalMarkers } from '../../src/client/read-markers.js';
import { stateDir } from '../../src/client/state-dir.js';
import { makeTempDir, removeDir } from '../helpers/index.js';

const S = 'http://127.0.0.1:7878';
const E = 'e1e1e1e1e1e1e1e1';

describe('LocalMarkers', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('rtchat-state-');
  });
  afterEach(() => removeDir(dir));

  it('lives in $RTCHAT_STATE_DIR, else $XDG_STATE_HOME/rtchat, else ~/.local/state/rtchat', () => {
    expect(new LocalMarkers({ env: { RTCHAT_STATE_DIR: dir } }).file).toBe(join(dir, 'markers.json'));
    expect(new LocalMarkers({ env: { XDG_STATE_HOME: dir } }).file).toBe(join(dir, 'rtchat', 'markers.json'));
    expect(stateDir({ XDG_STATE_HOME: 'relative/ignored' })).toMatch(/\.local\/state\/rtchat$/);
  });

  it('a relative $RTCHAT_STATE_DIR is taken from the working directory, not dropped for the home', () => {
    expect(stateDir({ RTCHAT_STATE_DIR: 'my-state', XDG_STATE_HOME: dir })).toBe(join(process.cwd(), 'my-state'));
  });

  it('keeps markers per server and room, never back within an epoch, across a save and load', async () => {
    const env = { RTCHAT_STATE_DIR: join(dir, 'state') };
    const m = new LocalMarkers({ env });
    await m.load();
    expect(m.get(S, 'lobby')).toBeUndefined();
    expect(m.set(S, 'lobby', { seq: 40, epoch: E })).toEqual({ seq: 40, epoch: E });
    expect(m.set(`${S}/`, 'lobby', { seq: 12, epoch: E })).toEqual({ seq: 40, epoch: E });
    m.set(S, 'dev', { seq: 3, epoch: E });
    m.set('http://other:1', 'lobby', { seq: 1, epoch: E });
    await m.save();
    expect((await stat(m.file)).mode & 0o777).toBe(0o600);
    const again = new LocalMarkers({ env });
    await again.load();
    expect(again.list(S)).toEqual([
      { room: 'dev', seq: 3, epoch: E },
      { room: 'lobby', seq: 40, epoch: E },
    ]);
    expect(JSON.parse(await readFile(m.file, 'utf8'))).toEqual({
      'http://127.0.0.1:7878|dev': { seq: 3, epoch: E },
      'http://127.0.0.1:7878|lobby': { seq: 40, epoch: E },
      'http://other:1|lobby': { seq: 1, epoch: E },
    });
    // A new epoch (the log started over) replaces the marker.
    expect(again.set(S, 'lobby', { seq: 2, epoch: 'e2e2e2e2e2e2e2e2' })).toEqual({ seq: 2, epoch: 'e2e2e2e2e2e2e2e2' });
  });

  it('two clients on one machine merge their markers instead of overwriting', async () => {
    const env = { RTCHAT_STATE_DIR: dir };
    const [a, b] = [new LocalMarkers({ env }), new LocalMarkers({ env })];
    await Promise.all([a.load(), b.load()]);
    a.set(S, 'lobby', { seq: 50, epoch: E });
    b.set(S, 'lobby', { seq: 30, epoch: E });
    b.set(S, 'dev', { seq: 7, epoch: E });
    await a.save();
    await b.save();
    const c = new LocalMarkers({ env });
    await c.load();
    expect(c.list(S)).toEqual([
      { room: 'dev', seq: 7, epoch: E },
      { room: 'lobby', seq: 50, epoch: E },
    ]);
  });

  it('reads a damaged file as no markers, and keeps only well-formed entries', async () => {
    const m = new LocalMarkers({ file: join(dir, 'markers.json') });
    await writeFile(m.file, '{not json');
    await m.load();
    expect(m.list(S)).toEqual([]);
    await writeFile(m.file, JSON.stringify({ [`${S}|ok`]: { seq: 4, epoch: E }, [`${S}|bad`]: { seq: -1 } }));
    await m.load();
    expect(m.list(S)).toEqual([{ room: 'ok', seq: 4, epoch: E }]);
  });
});
