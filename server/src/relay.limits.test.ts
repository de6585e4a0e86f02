import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../../shared/protocol';
import { MAX_BAD_FRAMES } from './connection/connection';
import { connectForTest, relayForTest, signUpForTest } from './testSupport';
import { expectFrame, sealFor, type SignedUpClient } from './testing/client';

/** A MessagePack map announcing two entries that ends after the first key: undecodable. */
const TRUNCATED_MESSAGEPACK = new Uint8Array([0x82, 0xa1, 0x74]);

/** Alice and Bob exchange a message: proof that one client's misbehaviour left others alone. */
async function stillDelivers(alice: SignedUpClient, bob: SignedUpClient): Promise<void> {
  const before = bob.client.messages.length;
  expectFrame(await bob.client.sync(), 'ok');
  expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, 'still here')), 'sent');
  await bob.client.waitForMessages(before + 1);
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('relay input checks', () => {
  it('answers malformed MessagePack with bad_frame while other clients keep working', async () => {
    const { url } = await relayForTest();
    const [alice, bob] = [await signUpForTest(url, 'alice'), await signUpForTest(url, 'bob')];
    const mallory = await connectForTest(url);
    mallory.sendRaw(TRUNCATED_MESSAGEPACK);
    const [error] = await mallory.waitUntil(() =>
      mallory.connectionErrors.length ? mallory.connectionErrors : undefined,
    );
    expect(error).toMatchObject({ code: 'bad_frame', message: 'not valid MessagePack' });
    expectFrame(await mallory.ping(), 'ok');
    await stillDelivers(alice, bob);
  });

  it('answers schema-invalid frames with bad_frame and the request id when readable', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const client = await connectForTest(url);
    client.sendObject({ t: 'send', id: 7, to: 'nobody' });
    client.sendObject({ t: 'launch_missiles', id: 8 });
    client.sendObject([1, 2, 3]);
    client.sendRaw('{"t":"ping","id":9}');
    const errors = await client.waitUntil(() =>
      client.frames.filter((f) => f.t === 'err').length >= 4 ? client.frames.filter((f) => f.t === 'err') : undefined,
    );
    expect(errors.map((e) => [e.code, e.re])).toEqual([
      ['bad_frame', 7],
      ['bad_frame', 8],
      ['bad_frame', undefined],
      ['bad_frame', undefined],
    ]);
    expect(errors[3]?.message).toMatch(/text frames/);
    expectFrame(await alice.client.ping(), 'ok');
  });

  it('answers an oversized frame with frame_too_large while other clients keep working', async () => {
    const { url } = await relayForTest({ limits: { maxFrameBytes: 4_096 } });
    const [alice, bob] = [await signUpForTest(url, 'alice'), await signUpForTest(url, 'bob')];
    const mallory = await connectForTest(url);
    mallory.sendObject({ t: 'ping', id: 1, padding: 'x'.repeat(5_000) });
    const [error] = await mallory.waitUntil(() =>
      mallory.connectionErrors.length ? mallory.connectionErrors : undefined,
    );
    expect(error?.code).toBe('frame_too_large');
    expectFrame(await mallory.ping(), 'ok');
    await stillDelivers(alice, bob);
  });

  it('closes the socket (1009) for a frame far beyond the limit instead of buffering it', async () => {
    const { url } = await relayForTest({ limits: { maxFrameBytes: 4_096 } });
    const mallory = await connectForTest(url);
    mallory.sendRaw(new Uint8Array(64 * 1024));
    expect((await mallory.closed).code).toBe(1009);
  });

  it(`closes a connection after ${MAX_BAD_FRAMES} bad frames`, async () => {
    const { url } = await relayForTest();
    const [alice, bob] = [await signUpForTest(url, 'alice'), await signUpForTest(url, 'bob')];
    const mallory = await connectForTest(url);
    for (let i = 0; i < MAX_BAD_FRAMES; i++) mallory.sendRaw(TRUNCATED_MESSAGEPACK);
    expect((await mallory.closed).code).toBe(CLOSE_CODES.tooManyBadFrames);
    expect(mallory.connectionErrors).toHaveLength(MAX_BAD_FRAMES);
    await stillDelivers(alice, bob);
  });

  it('rate-limits each connection with a token bucket and says when to retry', async () => {
    let now = 1_000_000;
    const { url } = await relayForTest({ limits: { ratePerSecond: 2, rateBurst: 3 }, now: () => now });
    const [greedy, other] = [await connectForTest(url), await connectForTest(url)];
    const answers = [await greedy.ping(), await greedy.ping(), await greedy.ping(), await greedy.ping()];
    expect(answers.map((a) => a.t)).toEqual(['ok', 'ok', 'ok', 'err']);
    expect(answers[3]).toMatchObject({ code: 'rate_limited', retryAfterMs: 500 });
    expectFrame(await other.ping(), 'ok'); // its own bucket

    now += 500;
    expectFrame(await greedy.ping(), 'ok');
  });

  it('closes a connection that stops answering heartbeats, and only that one', async () => {
    const { url } = await relayForTest({ limits: { heartbeatMs: 250 } });
    const silent = await connectForTest(url, { autoPong: false });
    const live = await connectForTest(url);
    expect((await silent.closed).code).toBe(CLOSE_CODES.idleTimeout);
    expect(silent.connectionErrors.map((e) => e.code)).toEqual(['idle_timeout']);
    expect(live.isOpen).toBe(true);
    expectFrame(await live.ping(), 'ok');
  });

  it('tells connected clients it is shutting down when closed', async () => {
    const relay = await relayForTest();
    const alice = await signUpForTest(relay.url, 'alice');
    await relay.close();
    expect(alice.client.connectionErrors.map((e) => e.code)).toEqual(['shutting_down']);
    expect((await alice.client.closed).code).toBe(CLOSE_CODES.goingAway);
  });
});

describe('relay HTTP surface', () => {
  it('answers the health probe, 404 elsewhere, and upgrades only /v1/ws', async () => {
    const { relay } = await relayForTest();
    const base = `http://127.0.0.1:${relay.port}`;
    expect(relay.url).toBe(`ws://127.0.0.1:${relay.port}/v1/ws`);
    const health = await httpGet(`${base}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true, protocol: 1 });
    expect((await httpGet(`${base}/nope`)).status).toBe(404);

    const wrongPath = new WebSocket(`ws://127.0.0.1:${relay.port}/v2/ws`);
    const status = await new Promise<number>((resolve) => {
      wrongPath.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      wrongPath.on('error', () => resolve(-1));
    });
    wrongPath.terminate();
    expect(status).toBe(404);
  });
});
