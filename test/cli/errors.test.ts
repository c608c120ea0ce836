/**
 * Errors in a person's words (issue 11, finding 11): the real binary over
 * pipes. Each failure is one stderr line that says what is wrong and what to
 * do, with `rtchat: ` once and no phrase said twice, and the same cause gives
 * the same exit code (and line) whichever command met it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  makeTempDir,
  newRoom,
  removeDir,
  runRtchat,
  spawnServe,
  startTestServer,
  useTestServer,
} from '../helpers/index.js';
import { closedPort, roomMessages, TLS_CERT, tlsProxy } from './cli-fixtures.js';

const srv = useTestServer();

/** Asserts the shape of a person's-words error and returns the line without the prefix. */
function oneLine(stderr: string): string {
  expect(stderr).toMatch(/^rtchat: [^\n]+\n$/);
  const line = stderr.slice('rtchat: '.length, -1);
  expect(line).not.toMatch(/^rtchat:/);
  // No library internals: OpenSSL's text, stack frames, yargs' raw wording.
  expect(line).not.toMatch(/SSL routines|:error:[0-9A-F]{8}|\n\s+at |Unknown argument/);
  // No run of three words said twice ("refused the token (… refused the token)").
  const words = line
    .replace(/\w+:\/\/\S+/g, 'URL')
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((w) => w !== '');
  const seen = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) {
    const run = words.slice(i, i + 3).join(' ');
    expect(seen.has(run), `"${run}" twice in: ${line}`).toBe(false);
    seen.add(run);
  }
  return line;
}

/** The three client commands that connect, with the flags to end quickly. */
const connecting = (server: string): string[][] => [
  ['send', '--server', server, 'hi'],
  ['tail', '--server', server, '--count', '1'],
  ['join', '--server', server],
];

describe('the wrong scheme', () => {
  it('https aimed at a plain http server: exit 3 and the same line from send, tail and join', async () => {
    const wrong = srv.url.replace('http:', 'https:');
    const lines = new Set<string>();
    for (const args of connecting(wrong)) {
      const r = await runRtchat(args, { timeoutMs: 20_000 });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
      expect(r.stdout).toBe('');
      lines.add(oneLine(r.stderr));
    }
    expect([...lines]).toEqual([
      `${wrong} does not speak TLS (https); for a plain http server use --server ${srv.url}`,
    ]);
  });

  it('http aimed at an https server: exit 3, and the advice given works', async () => {
    const tls = await tlsProxy(srv.port);
    try {
      const wrong = tls.url.replace('https:', 'http:');
      const lines = new Set<string>();
      for (const args of connecting(wrong)) {
        const r = await runRtchat(args, { timeoutMs: 20_000 });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
        lines.add(oneLine(r.stderr));
      }
      expect([...lines]).toEqual([`${wrong} speaks TLS (https), not plain http; use --server ${tls.url}`]);

      const room = newRoom();
      const right = await runRtchat([
        'send',
        '--server',
        tls.url,
        '--ca',
        fileURLToPath(TLS_CERT),
        '--room',
        room,
        'over tls',
      ]);
      expect(right.stderr).toBe('');
      expect(right.stdout).toBe('1\n');
      // Without trusting the certificate, that too is one line that says what to do.
      const untrusted = await runRtchat(['send', '--server', tls.url, '--room', room, 'x']);
      expect(untrusted.code).toBe(3);
      expect(oneLine(untrusted.stderr)).toMatch(/certificate is not trusted .*--ca ca\.pem/);
    } finally {
      await tls.close();
    }
  });
});

describe('one cause, one line, one exit code', () => {
  it('an unreachable server: the same line and exit 3 from every client command', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const commands = [
      ...connecting(url),
      ['rooms', '--server', url],
      ['who', '--server', url],
      ['search', '--server', url, 'word'],
    ];
    const lines = new Set<string>();
    for (const args of commands) {
      const r = await runRtchat(args);
      expect(r.code, args[0]).toBe(3);
      lines.add(oneLine(r.stderr));
    }
    expect([...lines]).toEqual([
      `cannot reach ${url} (connection refused, ECONNREFUSED); is the server running there? Check --server`,
    ]);
  });

  it('a refused token: the same line and exit 3 from every client command', async () => {
    const locked = await startTestServer({ token: 'sesame' });
    try {
      const commands = [
        ...connecting(locked.url),
        ['rooms', '--server', locked.url],
        ['search', '--server', locked.url, 'word'],
      ];
      const lines = new Set<string>();
      for (const args of commands) {
        const r = await runRtchat([...args, '--token', 'wrong']);
        expect(r.code, args[0]).toBe(3);
        lines.add(oneLine(r.stderr));
      }
      expect([...lines]).toEqual([
        `the server refused the token (${locked.url}); check --token, RTCHAT_TOKEN or rtchat login`,
      ]);
      const none = await runRtchat(['tail', '--server', locked.url, '--count', '1']);
      expect(none.code).toBe(3);
      expect(oneLine(none.stderr)).toBe(
        `the server needs a token (${locked.url}); pass --token, set RTCHAT_TOKEN or run rtchat login`,
      );
    } finally {
      await locked.close();
    }
  });

  it('no command: one line, prefixed once', async () => {
    const r = await runRtchat([]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^a command is needed: serve, join, send/);
  });
});

describe('unknown commands and flags', () => {
  it('suggest the nearest command, or list them', async () => {
    const typo = await runRtchat(['sned', 'hi']);
    expect(typo.code).toBe(2);
    expect(oneLine(typo.stderr)).toBe('unknown command "sned"; did you mean "rtchat send"?');
    const far = await runRtchat(['frobnicate']);
    expect(far.code).toBe(2);
    expect(oneLine(far.stderr)).toMatch(/^unknown command "frobnicate"; the commands are serve, join, send, tail/);
  });

  it('suggest the nearest flag of the command at hand', async () => {
    const r = await runRtchat(['send', '--servr', srv.url, 'hi']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      'unknown option --servr (did you mean --server?); rtchat send --help lists the options',
    );
    const kebab = await runRtchat(['serve', '--log-levl', 'warn']);
    expect(kebab.code).toBe(2);
    expect(oneLine(kebab.stderr)).toBe(
      'unknown option --log-levl (did you mean --log-level?); rtchat serve --help lists the options',
    );
    const choice = await runRtchat(['tail', '--via', 'pigeon']);
    expect(choice.code).toBe(2);
    expect(oneLine(choice.stderr)).toBe('--via "pigeon" is not one of ws, sse, longpoll, auto');
  });
});

describe('a text over the limit', () => {
  const long = 'a'.repeat(4100);

  it('send states the limit and refuses before connecting', async () => {
    // A closed port: a check made after connecting would say "cannot reach" (exit 3).
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runRtchat(['send', '--server', url, long]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('not sent: 4100 characters, over the limit of 4000: shorten or split it');
  });

  it('send and piped join name the line, send the others, and exit 1', async () => {
    for (const command of ['send', 'join']) {
      const room = newRoom();
      const r = await runRtchat([command, '--server', srv.url, '--room', room], { input: `ok\n${long}\nfine\n` });
      expect(r.code, `${command}: ${r.stderr}`).toBe(1);
      const notes = r.stderr.split('\n').filter((l) => l.includes('not sent'));
      expect(notes).toEqual(['rtchat: line 2 not sent: 4100 characters, over the limit of 4000: shorten or split it']);
      expect(r.stderr).not.toContain('a'.repeat(50));
      expect((await roomMessages(srv.url, room)).map((m) => m.text)).toEqual(['ok', 'fine']);
    }
  });
});

describe('serve on a data directory another server holds', () => {
  it('says so at once instead of "database is locked"', async () => {
    const dir = await makeTempDir();
    const first = await spawnServe(['--data', dir, '--log-level', 'warn']);
    try {
      const second = await runRtchat(['serve', '--port', '0', '--data', dir, '--log-level', 'warn']);
      expect(second.code).toBe(1);
      expect(oneLine(second.stderr)).toBe(
        `the data directory ${dir} is in use by another rtchat server (its database is locked); ` +
          'stop that server first, or give this one another --data DIR',
      );
    } finally {
      await first.stop();
      await removeDir(dir);
    }
  });
});
