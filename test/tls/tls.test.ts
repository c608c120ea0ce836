/**
 * TLS: `serve --tls-cert/--tls-key` serves https and wss on one port with all
 * three transports; clients trust a throwaway CA given with `--ca`, and say
 * in one line why they stop on an untrusted certificate or an http/https
 * mismatch. Certificates are made with openssl per run.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import type { Via } from '../../src/protocol/index.js';
import {
  newRoom,
  runRtchat,
  type ServeProcess,
  spawnServe,
  startTestServer,
  stopIfStarted,
  type TestServer,
} from '../helpers/index.js';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs.js';

let certs: TestCerts;
let server: TestServer;
let plain: TestServer;

beforeAll(async () => {
  certs = await makeTestCerts();
  server = await startTestServer({ tls: { cert: certs.cert, key: certs.key } });
  plain = await startTestServer();
}, 60_000);

afterAll(async () => {
  await stopIfStarted(server, (s) => s.close());
  await stopIfStarted(plain, (s) => s.close());
  await stopIfStarted(certs, (c) => c.cleanup());
});

describe('the server over TLS', () => {
  it('answers https with the given certificate, and plain http with a JSON 400', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const agent = new Agent({ connect: { ca: certs.ca } });
    const res = await request(`${server.url}/healthz`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ok: true });
    await agent.close();
    const wrong = await request(`${server.url.replace('https:', 'http:')}/healthz`);
    expect(wrong.statusCode).toBe(400);
    expect(await wrong.body.json()).toMatchObject({ type: 'error', code: 'https_required' });
  });

  it.each(['ws', 'sse', 'longpoll'] as Via[])('carries a ChatClient over %s with --ca', async (via) => {
    const room = newRoom('tls');
    const client = new ChatClient({ servers: [server.url], room, nick: 'ann', via, ca: certs.ca, maxAttempts: 2 });
    try {
      await client.start();
      expect(client.state).toMatchObject({ name: 'online', via });
      const sent = client.send(`over ${via}`);
      const ack = await client.whenAcked(sent.cid);
      expect(ack.seq).toBe(1);
    } finally {
      await client.stop();
    }
  });

  it.each(['ws', 'sse', 'longpoll'] as Via[])(
    'stops a ChatClient over %s that does not trust the CA, saying why',
    async (via) => {
      const client = new ChatClient({ servers: [server.url], room: 'lobby', nick: 'ann', via, maxAttempts: 3 });
      const err = await client.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'tls', message: expect.stringContaining('not trusted') as string });
      await client.stop();
    },
  );
});

describe('the CLI over TLS', () => {
  it('send and tail work over https with --ca', async () => {
    const room = newRoom('tls-cli');
    const common = ['--server', server.url, '--room', room, '--ca', certs.caFile];
    const sent = await runRtchat(['send', ...common, '--nick', 'ann', 'hello', 'tls']);
    expect(sent.stderr).toBe('');
    expect(sent.stdout).toBe('1\n');
    expect(sent.code).toBe(0);
    for (const via of ['ws', 'sse', 'longpoll']) {
      const tail = await runRtchat(['tail', ...common, '--via', via, '--since', '0', '--count', '1', '--json']);
      expect(tail.code, tail.stderr).toBe(0);
      expect(JSON.parse(tail.stdout)).toMatchObject({ seq: 1, nick: 'ann', text: 'hello tls' });
    }
  });

  it.each([
    ['send', ['send', 'x']],
    ['tail', ['tail', '--count', '1']],
    ['rooms', ['rooms']],
  ])('%s gives one line and exit 3 for an untrusted certificate', async (_name, args) => {
    for (const extra of [[], ['--ca', certs.otherCaFile]]) {
      const r = await runRtchat([...args, '--server', server.url, ...extra]);
      expect(r.code).toBe(3);
      const untrusted = "the server's TLS certificate is not trusted \\(\\w+\\); trust its CA with --ca ca\\.pem";
      expect(r.stderr).toMatch(new RegExp(`^rtchat: https://127\\.0\\.0\\.1:\\d+: ${untrusted}\\n$`));
    }
  });

  it('says so in one line when http and https are mixed up', async () => {
    const toTls = await runRtchat(['send', '--server', server.url.replace('https:', 'http:'), 'x']);
    expect(toTls.code).toBe(3);
    expect(toTls.stderr).toMatch(
      /^rtchat: http:\/\/\S+ speaks TLS \(https\), not plain http; use --server https:\/\/\S+\n$/,
    );
    const toPlain = await runRtchat([
      'tail',
      '--count',
      '1',
      '--server',
      plain.url.replace('http:', 'https:'),
      '--ca',
      certs.caFile,
    ]);
    expect(toPlain.code).toBe(3);
    expect(toPlain.stderr).toMatch(
      /^rtchat: https:\/\/\S+ does not speak TLS \(https\); for a plain http server use --server http:\/\/\S+\n$/,
    );
  });

  it('a bad --ca file is a usage error', async () => {
    const r = await runRtchat(['send', '--server', server.url, '--ca', certs.dir + '/nope.pem', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rtchat: --ca \S+: cannot read the file \(ENOENT\)\n$/);
  });
});

describe('rtchat serve --tls-cert --tls-key', () => {
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
  });

  it('listens on https and serves the CLI', async () => {
    serve = await spawnServe(['--memory', '--tls-cert', certs.certFile, '--tls-key', certs.keyFile]);
    expect(serve.url).toMatch(/^https:\/\//);
    const room = newRoom('tls-serve');
    const sent = await runRtchat(['send', '--server', serve.url, '--ca', certs.caFile, '--room', room, 'hi']);
    expect(sent.code, sent.stderr).toBe(0);
    const agent = new Agent({ connect: { ca: certs.ca } });
    const res = await request(`${serve.url}/rooms/${room}/messages?after=0&timeout=0`, { dispatcher: agent });
    expect(await res.body.json()).toMatchObject({ events: [expect.objectContaining({ type: 'message', text: 'hi' })] });
    await agent.close();
  });

  it('refuses a key that does not match the certificate, and a lone --tls-cert', async () => {
    const mismatch = await runRtchat([
      'serve',
      '--memory',
      '--port',
      '0',
      '--tls-cert',
      certs.certFile,
      '--tls-key',
      `${certs.dir}/ca.key`,
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/^rtchat: --tls-cert\/--tls-key: cannot use them together/);
    const lone = await runRtchat(['serve', '--memory', '--port', '0', '--tls-cert', certs.certFile]);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toBe('rtchat: --tls-cert and --tls-key go together\n');
  });
});
