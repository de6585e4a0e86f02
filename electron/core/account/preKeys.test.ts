import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyPreKeyBundle } from '../crypto/e2ee';
import { sodiumReady } from '../crypto/sodium';
import { silentLogger } from '../logger';
import { RelayError } from '../relay/relayError';
import { FakeLink } from '../testing/fakeLink';
import { makeAccount, openTestStore, publicUserOf } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { responderPreKeys } from './preKeyRing';
import {
  MAX_STORED_ONE_TIME_PREKEYS,
  ONE_TIME_PREKEY_LOW_WATER,
  ONE_TIME_PREKEY_TARGET,
  PreKeyService,
} from './preKeys';

const dirs = tempDirs();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

const DAY = 24 * 60 * 60 * 1000;

function setup() {
  const store = openTestStore(dirs.make());
  cleanups.push(() => store.close());
  const me = makeAccount('me');
  const link = new FakeLink({ selfId: me.userId });
  link.users.set(me.userId, publicUserOf(me));
  let now = 1_000_000;
  const service = new PreKeyService(store, silentLogger, { now: () => now });
  const relayStock = () => link.preKeys.of(me.userId);
  return {
    store,
    me,
    link,
    service,
    relayStock,
    advance: (ms: number) => (now += ms),
    uploads: () => link.requests.filter((r) => r.t === 'prekeys' && r.oneTimePreKeys.length > 0),
  };
}

describe('prekey publishing', () => {
  it('publishes a signed prekey and a stock of one-time prekeys whose secrets this device holds', async () => {
    const { store, me, link, service, relayStock } = setup();
    const status = await service.maintain(link, me);
    expect(status.oneTimeCount).toBe(ONE_TIME_PREKEY_TARGET);
    expect(relayStock().oneTime).toHaveLength(ONE_TIME_PREKEY_TARGET);
    // A peer's bundle verifies against our identity, and we can open with every key in it.
    const bundle = link.preKeys.bundle(publicUserOf(me))!;
    expect(() => verifyPreKeyBundle(bundle)).not.toThrow();
    const keys = responderPreKeys(store, 1_000_000);
    expect(
      Buffer.from(keys.signedPreKey(bundle.signedPreKey.id)!.publicKey).equals(bundle.signedPreKey.publicKey),
    ).toBe(true);
    const oneTime = keys.oneTimePreKey(bundle.oneTimePreKey!.id)!;
    expect(Buffer.from(oneTime.publicKey).equals(bundle.oneTimePreKey!.publicKey)).toBe(true);
    expect(store.preKeys.pendingUpload(1_000)).toEqual([]);
  });

  it('keeps a bounded number of one-time prekey secrets when someone keeps draining the stock', async () => {
    const { store, me, link, service, relayStock } = setup();
    const rounds = Math.ceil(MAX_STORED_ONE_TIME_PREKEYS / ONE_TIME_PREKEY_TARGET) + 5;
    for (let round = 0; round < rounds; round++) {
      await service.maintain(link, me);
      // A stranger fetches every bundle the relay will give out, then nothing is ever used.
      while (relayStock().oneTime.length > 0) link.preKeys.bundle(publicUserOf(me));
    }
    await service.maintain(link, me);
    const stored = store.db.prepare('SELECT count(*) AS n, min(id) AS lowest FROM one_time_prekeys').get() as {
      n: number;
      lowest: number;
    };
    expect(stored.n).toBe(MAX_STORED_ONE_TIME_PREKEYS);
    // The newest survive: every key the relay holds now can still be opened.
    const keys = responderPreKeys(store, 1_000_000);
    for (const key of relayStock().oneTime) expect(keys.oneTimePreKey(key.id)).toBeDefined();
    expect(stored.lowest).toBeGreaterThan(1);
  });

  it('uploads nothing while the relay has enough, and tops up with fresh ids when it runs low', async () => {
    const { me, link, service, relayStock, uploads } = setup();
    await service.maintain(link, me);
    await service.maintain(link, me);
    expect(uploads()).toHaveLength(1);

    const stock = relayStock();
    stock.oneTime.splice(0, ONE_TIME_PREKEY_TARGET - (ONE_TIME_PREKEY_LOW_WATER - 1));
    const before = new Set(stock.oneTime.map((k) => k.id));
    const status = await service.maintain(link, me);
    expect(status.oneTimeCount).toBe(ONE_TIME_PREKEY_TARGET);
    const added = stock.oneTime.filter((k) => !before.has(k.id)).map((k) => k.id);
    expect(added).toHaveLength(ONE_TIME_PREKEY_TARGET - (ONE_TIME_PREKEY_LOW_WATER - 1));
    // Never reused: every new id is above every id ever published.
    expect(Math.min(...added)).toBeGreaterThan(ONE_TIME_PREKEY_TARGET);
  });

  it('keeps the secrets of an upload that failed and uploads those same keys next time', async () => {
    const { store, me, link, service, relayStock } = setup();
    const request = link.request.bind(link);
    let failUploads = true;
    link.request = async (frame) => {
      if (failUploads && frame.t === 'prekeys' && frame.oneTimePreKeys.length > 0) {
        throw new RelayError('timeout', 'no answer');
      }
      return request(frame);
    };
    await expect(service.maintain(link, me)).rejects.toThrow(RelayError);
    const pending = store.preKeys.pendingUpload(1_000).map((k) => k.id);
    expect(pending).toHaveLength(ONE_TIME_PREKEY_TARGET);

    failUploads = false;
    await service.maintain(link, me);
    expect(relayStock().oneTime.map((k) => k.id)).toEqual(pending);
    expect(store.preKeys.pendingUpload(1_000)).toEqual([]);
  });

  it('rotates the signed prekey after a week and still opens with the previous one during its grace period', async () => {
    const { store, me, link, service, relayStock, advance } = setup();
    await service.maintain(link, me);
    const first = relayStock().signed!.id;
    advance(7 * DAY);
    await service.maintain(link, me);
    const second = relayStock().signed!.id;
    expect(second).toBeGreaterThan(first);
    expect(responderPreKeys(store, 1_000_000 + 7 * DAY).signedPreKey(first)).toBeDefined();
    advance(7 * DAY);
    await service.maintain(link, me);
    expect(relayStock().signed!.id).toBeGreaterThan(second);
    expect(responderPreKeys(store, 1_000_000 + 14 * DAY).signedPreKey(first)).toBeUndefined();
  });
});
