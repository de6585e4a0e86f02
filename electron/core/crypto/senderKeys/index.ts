/**
 * End-to-end encryption of private groups with Sender Keys: each member's sending chain is
 * distributed to the other members over the 1:1 ratchet sessions (e2ee/), each message is
 * encrypted once and signed once. Pure and synchronous (after `await e2eeReady()` from
 * e2ee/): no database, no network. The caller persists the returned states — with the
 * outbox row or the received message, in one transaction — and never reuses a state it has
 * replaced. See senderKey.ts for the construction and wire.ts for the formats.
 */
export * from './errors';
export {
  createSenderKey,
  groupDecrypt,
  groupEncrypt,
  groupMessageHeader,
  processSenderKeyDistribution,
  pruneReceiverKeyState,
  rotateSenderKey,
  senderKeyDistribution,
  type CreateSenderKeyParams,
} from './senderKey';
export {
  MAX_GROUP_SKIP,
  MAX_SKIPPED_GROUP_KEYS,
  SENDER_KEY_STATE_VERSION,
  SKIPPED_GROUP_KEY_TTL_MS,
  deserializeReceiverKeyState,
  deserializeSenderKeyState,
  serializeReceiverKeyState,
  serializeSenderKeyState,
  type GroupChain,
  type ReceiverKeyState,
  type SenderKeyState,
  type SkippedGroupKey,
} from './state';
export {
  ALG_SENDER_KEY_DISTRIBUTION,
  ALG_SENDER_KEY_MESSAGE,
  MAX_GROUP_PLAINTEXT_BYTES,
  MAX_ID_BYTES,
  SENDER_KEY_VERSION,
  parseDistribution,
  parseGroupMessage,
  type GroupMessage,
  type SenderKeyDistribution,
} from './wire';
