/**
 * Published test vectors for every primitive this module wraps, run through the same
 * wrappers the protocol uses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aeadDecrypt, aeadEncrypt } from './aead';
import { utf8 } from './bytes';
import { identityKeyPairFromSeeds } from './keys';
import { hkdfExpand, hkdfExtract, hkdfSha256, hmacSha256 } from './kdf';
import { fingerprintDigest, fingerprintDigits } from './safetyNumber';
import { e2eeReady, sodium } from './sodium';
import { hex, unhex } from './testSupport';
import { x25519, x25519KeyPairFromSeed } from './x25519';

beforeAll(e2eeReady);

const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('RFC 7748 X25519', () => {
  // §5.2: the raw function. (The second u-coordinate has its top bit set, which the
  // protocol's x25519() refuses as non-canonical, so these go to libsodium directly.)
  it.each([
    [
      'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    ],
    [
      '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    ],
  ])('§5.2 scalar %s', (scalar, u, out) => {
    expect(hex(sodium.crypto_scalarmult(unhex(scalar), unhex(u)))).toBe(out);
  });

  it('§5.2 iterated 1 and 1000 times', () => {
    let k = unhex('0900000000000000000000000000000000000000000000000000000000000000');
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      const next = sodium.crypto_scalarmult(k, u);
      u = k;
      k = next;
      if (i === 1) expect(hex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(hex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('§6.1 Diffie-Hellman through x25519KeyPairFromSeed and x25519', () => {
    const alice = x25519KeyPairFromSeed(unhex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = x25519KeyPairFromSeed(unhex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(hex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(hex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(hex(x25519(alice.secretKey, bob.publicKey))).toBe(shared);
    expect(hex(x25519(bob.secretKey, alice.publicKey))).toBe(shared);
  });
});

describe('RFC 8032 Ed25519 (§7.1 tests 1–3)', () => {
  it.each([
    [
      '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      '',
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ],
    [
      '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      '72',
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    ],
    [
      'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      'af82',
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    ],
  ])('secret key %s', (seed, publicKey, message, signature) => {
    // identityKeyPairFromSeeds is how this module derives its Ed25519 keys.
    const identity = identityKeyPairFromSeeds(unhex(seed), new Uint8Array(32).fill(9));
    expect(hex(identity.identityPublicKey)).toBe(publicKey);
    expect(hex(sodium.crypto_sign_detached(unhex(message), identity.identitySecretKey))).toBe(signature);
    expect(sodium.crypto_sign_verify_detached(unhex(signature), unhex(message), unhex(publicKey))).toBe(true);
    const tampered = unhex(signature);
    tampered[0]! ^= 1;
    expect(sodium.crypto_sign_verify_detached(tampered, unhex(message), unhex(publicKey))).toBe(false);
  });
});

describe('RFC 5869 HKDF-SHA256 (test cases 1–3)', () => {
  it.each([
    {
      ikm: new Uint8Array(22).fill(0x0b),
      salt: range(0x00, 0x0c),
      info: range(0xf0, 0xf9),
      length: 42,
      prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
      okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    },
    {
      ikm: range(0x00, 0x4f),
      salt: range(0x60, 0xaf),
      info: range(0xb0, 0xff),
      length: 82,
      prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
      okm:
        'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
        'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    },
    {
      ikm: new Uint8Array(22).fill(0x0b),
      salt: new Uint8Array(0),
      info: new Uint8Array(0),
      length: 42,
      prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
      okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    },
  ])('L=$length', ({ ikm, salt, info, length, prk, okm }) => {
    expect(hex(hkdfExtract(salt, ikm))).toBe(prk);
    expect(hex(hkdfExpand(unhex(prk), info, length))).toBe(okm);
    expect(hex(hkdfSha256(ikm, salt, info, length))).toBe(okm);
  });
});

describe('HMAC-SHA256 paths', () => {
  it('the one-shot path (32-byte key; RFC 5869 case 3 above) and the multi-part path agree', () => {
    const key = range(0x20, 0x3f);
    const data = range(0x00, 0x63);
    expect(hex(hmacSha256(key, data))).toBe(hex(hmacSha256(key, data.subarray(0, 7), data.subarray(7))));
    expect(hex(hmacSha256(key, data))).toBe(hex(sodium.crypto_auth_hmacsha256(data, key)));
  });
});

describe('XChaCha20-Poly1305-IETF (draft-irtf-cfrg-xchacha-03 §A.3.1)', () => {
  const key = range(0x80, 0x9f);
  const nonce = range(0x40, 0x57);
  const ad = unhex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const expected =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39' +
    'ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49';

  it('encrypts to the published ciphertext and tag, and decrypts it', () => {
    expect(hex(aeadEncrypt(key, nonce, plaintext, ad))).toBe(expected);
    expect(aeadDecrypt(key, nonce, unhex(expected), ad)).toEqual(plaintext);
  });
});

describe("Signal's numeric fingerprint (libsignal fingerprint test vectors, v1)", () => {
  // The published vectors use Signal's 33-byte serialized keys; the scheme is the same one
  // computeSafetyNumber applies to our 32-byte Ed25519 keys.
  const aliceKey = unhex('0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868');
  const bobKey = unhex('05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b');

  it('gives the published displayable fingerprint and scannable halves', () => {
    const alice = fingerprintDigest(aliceKey, '+14152222222');
    const bob = fingerprintDigest(bobKey, '+14153333333');
    expect(hex(alice.subarray(0, 32))).toBe('1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df');
    expect(hex(bob.subarray(0, 32))).toBe('d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d');
    const [a, b] = [fingerprintDigits(alice), fingerprintDigits(bob)];
    expect(a <= b ? a + b : b + a).toBe('300354477692869396892869876765458257569162576843440918079131');
  });
});
