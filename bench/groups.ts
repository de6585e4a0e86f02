/**
 * Private groups: what one member pays to send one 1 KiB message to a group of N, with
 * Sender Keys (one encryption + one signature, one ciphertext uploaded once in a `gSend`
 * frame) beside pairwise fan-out (one Double Ratchet encryption per other member, N − 1
 * envelopes uploaded in N − 1 `send` frames), measured in the same run, for N = 10, 100, 1000.
 * Baseline: one raw XChaCha20-Poly1305 encryption of the same payload (random nonce).
 *
 * Also: what a membership change costs a member with Sender Keys (rotate, then send the new
 * distribution to each other member over its pairwise session), and the receive side of one
 * message (Sender Keys verify + decrypt vs one ratchet decrypt).
 *
 *   npm run bench -- groups          (options: N=10,100,1000 ROUNDS=2000 REPS=5)
 */
import { randomUUID } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  acceptSession,
  e2eeReady,
  generateIdentityKeyPair,
  generateOneTimePreKeys,
  generateSignedPreKey,
  initiateSession,
  oneTimePreKeyPublic,
  publicIdentity,
  ratchetDecrypt,
  ratchetEncrypt,
  signedPreKeyPublic,
  type SessionState,
} from '../electron/core/crypto/e2ee';
import {
  createSenderKey,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistribution,
  rotateSenderKey,
  senderKeyDistribution,
  type SenderKeyState,
} from '../electron/core/crypto/senderKeys';
import { encodeFrame } from '../shared/protocol';
import { medianPerOp, ratio, table } from './lib/stats';

const SIZES = (process.env.N ?? '10,100,1000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const REPS = Number(process.env.REPS ?? 5);
const PAYLOAD = new Uint8Array(1024).fill(0x61);
const T = 1_700_000_000_000;
const GROUP_ID = 'g_BBBBBBBBBBBBBBBBBBBBBB';
const SENDER = 'u_AAAAAAAAAAAAAAAAAAAAAA';
const userIdOf = (i: number) => `u_${String(i).padStart(22, '0')}`;

/** Median over REPS runs of `ops` operations, after one warm-up run: ms per operation. */
const measure = (ops: number, run: (ops: number) => void): number => medianPerOp(REPS, ops, run);

/** Established 1:1 sessions from the sender to `count` members (both sides have sent once). */
function pairwiseSessions(count: number): { mine: SessionState[]; theirs: SessionState[] } {
  const alice = generateIdentityKeyPair();
  const mine: SessionState[] = [];
  const theirs: SessionState[] = [];
  for (let i = 0; i < count; i++) {
    const bob = generateIdentityKeyPair();
    const spk = generateSignedPreKey(bob, 1, T);
    const [opk] = generateOneTimePreKeys(1, 1);
    const started = initiateSession({
      identity: alice,
      bundle: {
        identity: publicIdentity(bob),
        signedPreKey: signedPreKeyPublic(spk),
        oneTimePreKey: oneTimePreKeyPublic(opk!),
      },
    });
    const first = ratchetEncrypt(started.state, PAYLOAD);
    const accepted = acceptSession({
      identity: bob,
      message: first.message,
      now: T,
      preKeys: {
        signedPreKey: (id) => (id === 1 ? spk.keyPair : undefined),
        oneTimePreKey: (id) => (id === opk!.id ? opk!.keyPair : undefined),
        consumeOneTimePreKey: () => {},
      },
    });
    const reply = ratchetEncrypt(accepted.state, PAYLOAD);
    mine.push(ratchetDecrypt(first.state, reply.message, T).state);
    theirs.push(reply.state);
  }
  return { mine, theirs };
}

/** The `gSend` frame a member uploads: one for the whole group. */
const groupSendFrame = (body: Uint8Array) =>
  encodeFrame({ t: 'gSend', id: 1, gid: GROUP_ID, msgId: randomUUID(), body: body as Uint8Array<ArrayBuffer> });
/** The `send` frame of a pairwise fan-out: one per recipient. */
const pairwiseSendFrame = (to: string, body: Uint8Array) =>
  encodeFrame({
    t: 'send',
    id: 1,
    msgId: randomUUID(),
    to,
    body: body as Uint8Array<ArrayBuffer>,
    toKey: new Uint8Array(32),
  });

async function main() {
  await e2eeReady();
  await sodium.ready;

  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const aead = measure(ROUNDS, (ops) => {
    for (let i = 0; i < ops; i++) {
      const nonce = crypto.getRandomValues(new Uint8Array(24));
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(PAYLOAD, null, null, nonce, key);
    }
  });

  // Sender Keys: the sender's cost does not depend on N at all; measured once per N anyway.
  let senderKey: SenderKeyState = createSenderKey({ groupId: GROUP_ID, senderId: SENDER });
  let uploadedBytes = 0;
  const skSend = () =>
    measure(ROUNDS, (ops) => {
      for (let i = 0; i < ops; i++) {
        const out = groupEncrypt(senderKey, PAYLOAD);
        senderKey = out.state;
        uploadedBytes = groupSendFrame(out.message).byteLength;
      }
    });

  // Receive side (per member, independent of N).
  const receiverPair = pairwiseSessions(1);
  let receiver = processSenderKeyDistribution(null, senderKeyDistribution(senderKey), {
    groupId: GROUP_ID,
    senderId: SENDER,
  });
  const skMessages: Uint8Array[] = [];
  const drMessages: Uint8Array[] = [];
  let drSender = receiverPair.mine[0]!;
  const receiveOps = ROUNDS;
  for (let i = 0; i < receiveOps * (REPS + 2); i++) {
    const g = groupEncrypt(senderKey, PAYLOAD);
    senderKey = g.state;
    skMessages.push(g.message);
    const d = ratchetEncrypt(drSender, PAYLOAD);
    drSender = d.state;
    drMessages.push(d.message);
  }
  let skCursor = 0;
  const skReceive = measure(receiveOps, (ops) => {
    for (let i = 0; i < ops; i++) receiver = groupDecrypt(receiver, skMessages[skCursor++]!, T).state;
  });
  let drReceiver = receiverPair.theirs[0]!;
  let drCursor = 0;
  const drReceive = measure(receiveOps, (ops) => {
    for (let i = 0; i < ops; i++) drReceiver = ratchetDecrypt(drReceiver, drMessages[drCursor++]!, T).state;
  });

  const rows: string[][] = [
    [
      'N',
      'SK µs/msg',
      'SK bytes up',
      'pairwise µs/msg',
      'pairwise bytes up',
      'pairwise ÷ SK (time)',
      'pairwise ÷ SK (bytes)',
      'SK vs raw AEAD',
      'SK rekey µs (rotate + N−1 distributions)',
      'rekey bytes up',
    ],
  ];
  skSend(); // warm-up, so the first size is not measured on a cold JIT
  for (const n of SIZES) {
    const sessions = pairwiseSessions(n - 1);
    const recipients = sessions.mine.map((_, i) => userIdOf(i));
    const sk = skSend();
    const skBytes = uploadedBytes;

    let pairwiseBytes = 0;
    const pairwiseOps = Math.max(3, Math.floor((ROUNDS * 10) / n));
    const pairwise = measure(pairwiseOps, (ops) => {
      for (let i = 0; i < ops; i++) {
        let bytes = 0;
        for (let m = 0; m < sessions.mine.length; m++) {
          const out = ratchetEncrypt(sessions.mine[m]!, PAYLOAD);
          sessions.mine[m] = out.state;
          bytes += pairwiseSendFrame(recipients[m]!, out.message).byteLength;
        }
        pairwiseBytes = bytes;
      }
    });

    let rekeyBytes = 0;
    const rekey = measure(Math.max(3, Math.floor((ROUNDS * 10) / n)), (ops) => {
      for (let i = 0; i < ops; i++) {
        senderKey = rotateSenderKey(senderKey);
        const distribution = senderKeyDistribution(senderKey);
        let bytes = 0;
        for (let m = 0; m < sessions.mine.length; m++) {
          const out = ratchetEncrypt(sessions.mine[m]!, distribution);
          sessions.mine[m] = out.state;
          bytes += pairwiseSendFrame(recipients[m]!, out.message).byteLength;
        }
        rekeyBytes = bytes;
      }
    });

    const us = (ms: number) => `${(ms * 1000).toFixed(1)}`;
    rows.push([
      String(n),
      us(sk),
      String(skBytes),
      us(pairwise),
      String(pairwiseBytes),
      ratio(pairwise, sk),
      ratio(pairwiseBytes, skBytes),
      ratio(sk, aead),
      us(rekey),
      String(rekeyBytes),
    ]);
  }

  console.log(
    `\nGroup send, 1 KiB payload, sender side: median of ${REPS} runs ` +
      `(baseline: raw XChaCha20-Poly1305 encrypt ${(aead * 1000).toFixed(1)} µs)\n`,
  );
  table(rows);
  console.log('\nReceive side, per member per message (independent of N):\n');
  table([
    ['', 'µs/msg', 'vs raw AEAD'],
    ['Sender Keys: verify Ed25519 + decrypt', (skReceive * 1000).toFixed(1), ratio(skReceive, aead)],
    ['Double Ratchet decrypt (symmetric step)', (drReceive * 1000).toFixed(1), ratio(drReceive, aead)],
  ]);
}

await main();
