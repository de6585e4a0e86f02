import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from './bytes';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { e2eeReady } from './sodium';
import { deserializeSessionState, serializeSessionState } from './state';
import { errorCode, establishedPair, T0 } from './testSupport';

beforeAll(e2eeReady);

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

describe('session state serialization', () => {
  it('round-trips every field, including skipped keys and retired chains', () => {
    let { a, b } = establishedPair('state-roundtrip');
    const m0 = ratchetEncrypt(a, utf8('0'));
    const m1 = ratchetEncrypt(m0.state, utf8('1'));
    a = m1.state;
    b = ratchetDecrypt(b, m1.message, T0).state;
    expect(b.skippedKeys).toHaveLength(1);
    expect(b.retiredReceivingKeys.length).toBeGreaterThan(0);
    const restored = deserializeSessionState(serializeSessionState(b));
    expect(restored).toEqual(b);
    expect(Object.isFrozen(restored)).toBe(true);
    expect(new TextDecoder().decode(ratchetDecrypt(restored, m0.message, T0).plaintext)).toBe('0');
  });

  it('refuses an unknown version as unsupported_version and anything malformed as bad_format', () => {
    const { a } = establishedPair('state-versions');
    const raw = packr.unpack(serializeSessionState(a)) as Record<string, unknown>;
    expect(errorCode(() => deserializeSessionState(packr.pack({ ...raw, v: 2 })))).toBe('unsupported_version');
    expect(errorCode(() => deserializeSessionState(packr.pack({ ...raw, v: undefined })))).toBe('bad_format');
    expect(errorCode(() => deserializeSessionState(packr.pack({ ...raw, rk: new Uint8Array(31) })))).toBe('bad_format');
    expect(errorCode(() => deserializeSessionState(packr.pack({ ...raw, role: 'observer' })))).toBe('bad_format');
    expect(errorCode(() => deserializeSessionState(packr.pack({ ...raw, extra: true })))).toBe('bad_format');
    expect(errorCode(() => deserializeSessionState(utf8('not msgpack at all')))).toBe('bad_format');
  });
});
