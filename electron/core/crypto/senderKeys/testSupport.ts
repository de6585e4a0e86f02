/** Fixtures for the Sender Keys tests (not a test file itself). */
import { utf8 } from '../e2ee/bytes';
import { deterministicRng, type Rng } from '../e2ee/rng';
import { sodium } from '../e2ee/sodium';
import { isSenderKeyError, type SenderKeyErrorCode } from './errors';
import { createSenderKey, processSenderKeyDistribution, senderKeyDistribution } from './senderKey';
import {
  serializeReceiverKeyState,
  serializeSenderKeyState,
  type ReceiverKeyState,
  type SenderKeyState,
} from './state';

export const T0 = 1_700_000_000_000;
export const GROUP = 'g_AAAAAAAAAAAAAAAAAAAAAA';

export function seededRng(label: string): Rng {
  return deterministicRng(sodium.crypto_generichash(32, utf8(label), null));
}

export const hex = (bytes: Uint8Array) => sodium.to_hex(bytes);
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export const snapshotReceiver = (state: ReceiverKeyState) => hex(serializeReceiverKeyState(state));
export const snapshotSender = (state: SenderKeyState) => hex(serializeSenderKeyState(state));

/** A sender's chain and one receiver's state made from its distribution. */
export function senderAndReceiver(label: string, senderId = 'u_alice') {
  const rng = seededRng(label);
  const sender = createSenderKey({ groupId: GROUP, senderId, rng });
  const receiver = processSenderKeyDistribution(null, senderKeyDistribution(sender), { groupId: GROUP, senderId });
  return { sender, receiver, rng };
}

/** Runs `fn` and returns the SenderKeyError code it threw (or fails the test if it did not throw one). */
export function errorCode(fn: () => unknown): SenderKeyErrorCode {
  try {
    fn();
  } catch (error) {
    if (isSenderKeyError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a SenderKeyError, nothing was thrown');
}
