/**
 * The relay wire protocol: every frame that crosses the WebSocket between a client core
 * and the relay, declared once with zod. Frames are MessagePack maps (see codec.ts) with a
 * discriminating `t`. Client requests carry `id` (a per-connection request number) and the
 * relay answers each with exactly one frame whose `re` is that id: the specific result
 * frame, or `err`. Pushes from the relay (`msg`) carry no `re`.
 *
 * The relay never sees message plaintext: `body` is opaque ciphertext made by the core.
 */
import { z } from 'zod';
import { channelClientFrames, channelServerFrames } from './channels';
import { ERROR_CODES } from './errors';
import { groupClientFrames, groupServerFrames } from './groups';
import { LIMITS } from './limits';

export const PROTOCOL_VERSION = 1;

/** Raw bytes. msgpackr decodes bin to Uint8Array (Buffer in Node, which is a subclass). */
export const bytes = (exact?: number, max?: number) => {
  let schema = z.instanceof(Uint8Array);
  if (exact !== undefined) {
    schema = schema.refine((b) => b.byteLength === exact, `expected ${exact} bytes`);
  }
  if (max !== undefined) {
    schema = schema.refine((b) => b.byteLength <= max, `at most ${max} bytes`);
  }
  return schema;
};

/** `@username` without the `@`: 3–32 chars, lower-case latin letters, digits, underscore. */
export const usernameSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _; starts with a letter');
export const displayNameSchema = z.string().trim().min(1).max(64);
/** Server-assigned user id: `u_` + 22 base64url characters. */
export const userIdSchema = z.string().regex(/^u_[A-Za-z0-9_-]{22}$/);
/** Client-chosen message id (a UUID); the relay de-duplicates on (sender, msgId). */
export const msgIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const reqId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A user's public identity as the relay publishes it. Clients verify `dhKeySig`. */
export const publicUserSchema = z.object({
  userId: userIdSchema,
  username: usernameSchema,
  displayName: displayNameSchema,
  /** Ed25519 public identity key (signs login challenges and the DH key). */
  identityKey: bytes(32),
  /** X25519 public key used to encrypt to this user. */
  dhKey: bytes(32),
  /** Ed25519 signature by identityKey over `DH_KEY_SIG_CONTEXT || dhKey`. */
  dhKeySig: bytes(64),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** What a client signs: the context string, then the 32-byte challenge nonce. */
export const LOGIN_SIG_CONTEXT = 'parley-login-v1';
export const DH_KEY_SIG_CONTEXT = 'parley-dhkey-v1';
/** Signed prekeys: identityKey signs `SIGNED_PREKEY_SIG_CONTEXT || u32be(id) || u64be(createdAt) || publicKey`. */
export const SIGNED_PREKEY_SIG_CONTEXT = 'parley-spk-v1';
/** Identity reset: the OLD identity key signs `REKEY_SIG_CONTEXT || newIdentityKey || newDhKey`. */
export const REKEY_SIG_CONTEXT = 'parley-rekey-v1';

/** Prekey ids are u32. */
const preKeyId = z.number().int().nonnegative().max(0xffffffff);
export const signedPreKeyWire = z.object({
  id: preKeyId,
  publicKey: bytes(32),
  /** ms since epoch, as signed. */
  createdAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  signature: bytes(64),
});
export const oneTimePreKeyWire = z.object({ id: preKeyId, publicKey: bytes(32) });
export type SignedPreKeyWire = z.infer<typeof signedPreKeyWire>;
export type OneTimePreKeyWire = z.infer<typeof oneTimePreKeyWire>;

/** What an initiator needs for X3DH: the identity, the current signed prekey, and (while stock lasts) one one-time prekey. */
export const preKeyBundleWire = z.object({
  identity: z.object({ identityKey: bytes(32), dhKey: bytes(32), dhKeySig: bytes(64) }),
  signedPreKey: signedPreKeyWire,
  /** null when the stock is empty: X3DH then runs on the signed prekey alone. */
  oneTimePreKey: oneTimePreKeyWire.nullable(),
});
export type PreKeyBundleWire = z.infer<typeof preKeyBundleWire>;

// ---------------------------------------------------------------- client → relay

export const registerFrame = z.object({
  t: z.literal('register'),
  id: reqId,
  v: z.number().int(),
  username: usernameSchema,
  displayName: displayNameSchema,
  identityKey: bytes(32),
  dhKey: bytes(32),
  dhKeySig: bytes(64),
  /** Signature by identityKey over LOGIN_SIG_CONTEXT || challenge nonce. */
  sig: bytes(64),
});

export const loginFrame = z.object({
  t: z.literal('login'),
  id: reqId,
  v: z.number().int(),
  identityKey: bytes(32),
  sig: bytes(64),
});

/** Look up one user by username or by id. */
export const lookupFrame = z.object({
  t: z.literal('lookup'),
  id: reqId,
  username: usernameSchema.optional(),
  userId: userIdSchema.optional(),
});

/** Username prefix search (the `@` search box). */
export const searchFrame = z.object({
  t: z.literal('search'),
  id: reqId,
  prefix: z.string().min(1).max(32),
});

export const updateProfileFrame = z.object({
  t: z.literal('profile'),
  id: reqId,
  displayName: displayNameSchema,
});

/**
 * Send one opaque envelope to a user. Answered by `sent` only after it is committed.
 *
 * `after` lets a client pipeline sends without risking their order: it names an earlier
 * message of the same sender that is still unanswered. The relay stores this one only if
 * `after` is already stored (it handles a connection's requests in order, so normally it
 * is); if `after` was refused (queue_full, rate_limited, internal, …) this one is refused
 * with `out_of_order` and nothing is stored, so a retry of both keeps their order.
 */
export const sendFrame = z.object({
  t: z.literal('send'),
  id: reqId,
  msgId: msgIdSchema,
  to: userIdSchema,
  body: bytes(undefined, LIMITS.maxBodyBytes),
  after: msgIdSchema.optional(),
  /**
   * The recipient identity key the body is encrypted for. When present and the recipient's
   * current identity key differs (they reset their keys), the relay stores nothing and
   * answers `identity_changed`: the sender re-fetches the user and re-encrypts.
   */
  toKey: bytes(32).optional(),
  /**
   * Self-destructing messages: if still undelivered at this time (ms since epoch), the relay
   * deletes the envelope and never delivers it. Reveals that a message is timed (and a bound
   * on its timer), never its content.
   */
  purgeAt: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * Publish prekeys for this account: a new signed prekey (replacing the current one; the
 * relay checks its signature with the account's identity key) and/or more one-time prekeys
 * (appended to the stock; ids already stored are ignored). An upload with neither just asks
 * for the current state. Answered by `prekeyState`.
 */
export const preKeysFrame = z.object({
  t: z.literal('prekeys'),
  id: reqId,
  signedPreKey: signedPreKeyWire.optional(),
  oneTimePreKeys: z.array(oneTimePreKeyWire).max(LIMITS.maxOneTimePreKeysPerUpload),
});

/**
 * Fetch a user's prekey bundle to start a session. Hands out (and deletes) at most one
 * one-time prekey per call; each one-time prekey is handed out at most once, ever.
 * Answered by `bundle`, or `no_prekeys` if the user has published no signed prekey.
 */
export const bundleRequestFrame = z.object({ t: z.literal('bundle'), id: reqId, userId: userIdSchema });

/**
 * Replace this account's identity keys ("reset encryption keys"). `sig` is the NEW identity
 * key's signature over LOGIN_SIG_CONTEXT || this connection's challenge (proof of the new
 * key); `handover` is the OLD identity key's signature over REKEY_SIG_CONTEXT ||
 * identityKey || dhKey. The relay drops the account's prekeys (the client uploads new ones
 * next) and answers `session` with the new public user.
 */
export const rekeyFrame = z.object({
  t: z.literal('rekey'),
  id: reqId,
  identityKey: bytes(32),
  dhKey: bytes(32),
  dhKeySig: bytes(64),
  sig: bytes(64),
  handover: bytes(64),
});

/**
 * Start (or resume) delivery of this device's queue. The relay then pushes `msg` frames in
 * queue order, keeping at most LIMITS.deliveryWindow unacknowledged ones in flight.
 */
export const syncFrame = z.object({ t: z.literal('sync'), id: reqId });

/** The client has committed these envelopes: the relay deletes its copies. */
export const ackFrame = z.object({
  t: z.literal('ack'),
  id: reqId,
  eids: z.array(z.number().int().positive()).min(1).max(LIMITS.deliveryWindow),
});

export const pingFrame = z.object({ t: z.literal('ping'), id: reqId });

/** Most user ids in one `keysChangedList`. */
export const KEYS_CHANGED_MAX_USERS = 100;

/**
 * Which of the people this account has a 1:1 conversation with (either direction) replaced
 * their identity keys (`rekey`) after `since` (relay clock, ms since epoch). Clients ask at
 * every login, with the `until` of their previous complete answer, so a key reset made while
 * they were offline (they missed the `keyChanged` push) shows before anyone writes.
 * Answered by `keysChangedList`.
 */
export const keysChangedFrame = z.object({
  t: z.literal('keysChanged'),
  id: reqId,
  since: z.number().int().nonnegative(),
});

export const clientFrame = z.discriminatedUnion('t', [
  registerFrame,
  loginFrame,
  lookupFrame,
  searchFrame,
  updateProfileFrame,
  sendFrame,
  preKeysFrame,
  bundleRequestFrame,
  rekeyFrame,
  syncFrame,
  ackFrame,
  pingFrame,
  keysChangedFrame,
  ...channelClientFrames,
  ...groupClientFrames,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

// ---------------------------------------------------------------- relay → client

/** First frame on every connection. */
export const helloFrame = z.object({
  t: z.literal('hello'),
  v: z.number().int(),
  /** 32 random bytes to sign in `register`/`login`. */
  challenge: bytes(32),
  serverTime: z.number(),
  limits: z.object({
    maxFrameBytes: z.number().int(),
    maxBodyBytes: z.number().int(),
    ratePerSecond: z.number(),
    rateBurst: z.number(),
    heartbeatMs: z.number().int(),
  }),
});

/** Answer to register/login/profile. */
export const sessionFrame = z.object({ t: z.literal('session'), re: reqId, user: publicUserSchema });
/** Answer to lookup. */
export const userFrame = z.object({ t: z.literal('user'), re: reqId, user: publicUserSchema });
/** Answer to search. */
export const usersFrame = z.object({ t: z.literal('users'), re: reqId, users: z.array(publicUserSchema).max(50) });
/** Answer to send: the envelope is committed. Re-sending the same msgId answers the same seq. */
export const sentFrame = z.object({
  t: z.literal('sent'),
  re: reqId,
  msgId: msgIdSchema,
  /** Per-conversation sequence number (the conversation is the unordered pair of users). */
  seq: z.number().int().positive(),
  /** Relay commit time, ms since epoch. */
  ts: z.number(),
  duplicate: z.boolean(),
});
/** Answer to prekeys: what the relay now holds for this account. */
export const preKeyStateFrame = z.object({
  t: z.literal('prekeyState'),
  re: reqId,
  /** Id of the current signed prekey, null if none was published yet. */
  signedPreKeyId: preKeyId.nullable(),
  /** One-time prekeys left in stock; replenish when it runs low. */
  oneTimeCount: z.number().int().nonnegative(),
});
/** Answer to bundle. */
export const bundleFrame = z.object({
  t: z.literal('bundle'),
  re: reqId,
  userId: userIdSchema,
  bundle: preKeyBundleWire,
});
/**
 * Push: a user this account has a conversation with replaced their identity keys (`rekey`).
 * A hint only — the client looks the user up and checks the keys itself.
 */
export const keyChangedFrame = z.object({ t: z.literal('keyChanged'), userId: userIdSchema });
/**
 * Answer to keysChanged: users whose identity changed after `since`, oldest change first.
 * The answer covers every change up to and including `until` (relay clock): the relay's
 * time when it looked, or, when `more` (the list was cut at KEYS_CHANGED_MAX_USERS), a
 * point inside the list; ask again with `since: until` for the rest.
 */
export const keysChangedListFrame = z.object({
  t: z.literal('keysChangedList'),
  re: reqId,
  userIds: z.array(userIdSchema).max(KEYS_CHANGED_MAX_USERS),
  until: z.number().int().nonnegative(),
  more: z.boolean(),
});
/** Answer to sync/ack/ping. */
export const okFrame = z.object({ t: z.literal('ok'), re: reqId });

/** One queued envelope for this device. Acknowledge `eid` after committing it. */
export const msgFrame = z.object({
  t: z.literal('msg'),
  eid: z.number().int().positive(),
  msgId: msgIdSchema,
  from: userIdSchema,
  seq: z.number().int().positive(),
  ts: z.number(),
  body: bytes(undefined, LIMITS.maxBodyBytes),
});

export const errorCodeSchema = z.enum(ERROR_CODES);
/** A rejection. `re` is present when it answers a request; absent for connection-level errors. */
export const errFrame = z.object({
  t: z.literal('err'),
  re: reqId.optional(),
  code: errorCodeSchema,
  message: z.string(),
  /** For rate_limited: when to try again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});

export const serverFrame = z.discriminatedUnion('t', [
  helloFrame,
  sessionFrame,
  userFrame,
  usersFrame,
  sentFrame,
  preKeyStateFrame,
  bundleFrame,
  okFrame,
  msgFrame,
  keyChangedFrame,
  keysChangedListFrame,
  errFrame,
  ...channelServerFrames,
  ...groupServerFrames,
]);
export type ServerFrame = z.infer<typeof serverFrame>;

export type FrameOf<U extends { t: string }, T extends U['t']> = Extract<U, { t: T }>;
