/**
 * Cost of the 1:1 end-to-end encryption per 1 KiB message, printed beside the raw
 * XChaCha20-Poly1305 AEAD it is built on (encrypt + decrypt of the same payload with a fresh
 * random nonce), measured in the same run:
 *
 *   - Double Ratchet, symmetric steps only: one direction, encrypt + decrypt per message;
 *   - the same, plus serializing and parsing both states (what persisting them costs);
 *   - Double Ratchet with a DH ratchet step on every message: directions alternate;
 *   - X3DH session set-up, both sides: bundle verification + X3DH + ratchet init for the
 *     initiator, X3DH + first decrypt (with its DH step) for the responder.
 *
 *   npm run bench -- ratchet        (options: ROUNDS=2000 SESSIONS=200 REPS=5)
 */
import sodium from 'libsodium-wrappers-sumo';
import {
  acceptSession,
  deserializeSessionState,
  e2eeReady,
  generateIdentityKeyPair,
  generateOneTimePreKeys,
  generateSignedPreKey,
  initiateSession,
  oneTimePreKeyPublic,
  publicIdentity,
  ratchetDecrypt,
  ratchetEncrypt,
  serializeSessionState,
  signedPreKeyPublic,
  type SessionState,
} from '../electron/core/crypto/e2ee';
import { medianPerOp, ratio, table } from './lib/stats';

const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const SESSIONS = Number(process.env.SESSIONS ?? 200);
const REPS = Number(process.env.REPS ?? 5);
const PAYLOAD = new Uint8Array(1024).fill(0x61);
const T = 1_700_000_000_000;

/** Median over REPS runs of `ops` operations, after one warm-up run: ms per operation. */
const measure = (ops: number, run: (ops: number) => void): number => medianPerOp(REPS, ops, run);

/** Raw AEAD with a fresh random nonce per message, drawn the way the ratchet draws it. */
function rawAead(ops: number, nonce: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(24))): void {
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  for (let i = 0; i < ops; i++) {
    const n = nonce();
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(PAYLOAD, null, null, n, key);
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, null, n, key);
  }
}

interface Device {
  identity: ReturnType<typeof generateIdentityKeyPair>;
  spk: ReturnType<typeof generateSignedPreKey>;
  opks: Map<number, ReturnType<typeof generateOneTimePreKeys>[number]>;
}

function device(oneTimePreKeys: number): Device {
  const identity = generateIdentityKeyPair();
  const spk = generateSignedPreKey(identity, 1, T);
  return { identity, spk, opks: new Map(generateOneTimePreKeys(1, oneTimePreKeys).map((k) => [k.id, k])) };
}

/** One full X3DH set-up: Alice starts, sends one message, Bob accepts it. */
function setUp(alice: Device, bob: Device, opkId: number) {
  const bundle = {
    identity: publicIdentity(bob.identity),
    signedPreKey: signedPreKeyPublic(bob.spk),
    oneTimePreKey: oneTimePreKeyPublic(bob.opks.get(opkId)!),
  };
  const started = initiateSession({ identity: alice.identity, bundle });
  const first = ratchetEncrypt(started.state, PAYLOAD);
  const accepted = acceptSession({
    identity: bob.identity,
    message: first.message,
    now: T,
    preKeys: {
      signedPreKey: (id) => (id === bob.spk.id ? bob.spk.keyPair : undefined),
      oneTimePreKey: (id) => bob.opks.get(id)?.keyPair,
      consumeOneTimePreKey: () => {}, // kept, so the pool can be reused across repetitions
    },
  });
  return { a: first.state, b: accepted.state };
}

/** A session where both sides have sent once, so no X3DH fields ride along. */
function established(): { a: SessionState; b: SessionState } {
  const alice = device(0);
  const bob = device(1);
  const { a, b } = setUp(alice, bob, 1);
  const reply = ratchetEncrypt(b, PAYLOAD);
  return { a: ratchetDecrypt(a, reply.message, T).state, b: reply.state };
}

async function main() {
  await e2eeReady();

  // Baseline: the AEAD alone, with its nonce from the same OS CSPRNG path the ratchet uses.
  const aead = measure(ROUNDS, (ops) => rawAead(ops));
  // For reading older figures: libsodium.js's randombytes_buf costs far more per call.
  const aeadSodiumRng = measure(ROUNDS, (ops) => rawAead(ops, () => sodium.randombytes_buf(24)));

  let s = established();
  const symmetric = measure(ROUNDS, (ops) => {
    let { a, b } = s;
    for (let i = 0; i < ops; i++) {
      const out = ratchetEncrypt(a, PAYLOAD);
      a = out.state;
      b = ratchetDecrypt(b, out.message, T).state;
    }
    s = { a, b };
  });

  s = established();
  const persisted = measure(ROUNDS, (ops) => {
    let { a, b } = s;
    for (let i = 0; i < ops; i++) {
      const out = ratchetEncrypt(a, PAYLOAD);
      a = deserializeSessionState(serializeSessionState(out.state));
      b = deserializeSessionState(serializeSessionState(ratchetDecrypt(b, out.message, T).state));
    }
    s = { a, b };
  });

  s = established();
  const dhStep = measure(ROUNDS, (ops) => {
    let { a, b } = s;
    for (let i = 0; i < ops; i++) {
      // Alternating directions: every decrypt meets a new ratchet key.
      if (i % 2 === 0) {
        const out = ratchetEncrypt(a, PAYLOAD);
        a = out.state;
        b = ratchetDecrypt(b, out.message, T).state;
      } else {
        const out = ratchetEncrypt(b, PAYLOAD);
        b = out.state;
        a = ratchetDecrypt(a, out.message, T).state;
      }
    }
    s = { a, b };
  });

  const alice = device(0);
  const bob = device(SESSIONS);
  const x3dh = measure(SESSIONS, (ops) => {
    for (let i = 0; i < ops; i++) setUp(alice, bob, (i % SESSIONS) + 1);
  });

  const us = (msPerOp: number) => `${(msPerOp * 1000).toFixed(1)} µs`;
  const perSecond = (msPerOp: number) => `${Math.round(1000 / msPerOp)}/s`;
  console.log(
    `\n1:1 end-to-end encryption, 1 KiB payload: median of ${REPS} runs of ${ROUNDS} messages / ${SESSIONS} set-ups\n`,
  );
  table([
    ['', 'per op', 'rate', 'vs raw AEAD'],
    ['raw XChaCha20-Poly1305 enc+dec (baseline)', us(aead), perSecond(aead), ratio(aead, aead)],
    [
      '  same, nonce from libsodium randombytes_buf',
      us(aeadSodiumRng),
      perSecond(aeadSodiumRng),
      ratio(aeadSodiumRng, aead),
    ],
    ['ratchet enc+dec, symmetric step', us(symmetric), perSecond(symmetric), ratio(symmetric, aead)],
    ['  + serialize/parse both states', us(persisted), perSecond(persisted), ratio(persisted, aead)],
    ['ratchet enc+dec, DH step every message', us(dhStep), perSecond(dhStep), ratio(dhStep, aead)],
    ['X3DH set-up, both sides (incl. 1st message)', us(x3dh), perSecond(x3dh), ratio(x3dh, aead)],
  ]);
}

await main();
