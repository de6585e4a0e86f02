/**
 * Every rejection the relay can answer with. Each breach of a limit or rule has its own
 * code so a client (and a tester) can tell exactly what went wrong; nothing is dropped
 * silently.
 */
export const ERROR_CODES = [
  /** The frame was not valid MessagePack or did not match any frame schema. */
  'bad_frame',
  /** The frame exceeded LIMITS.maxFrameBytes. */
  'frame_too_large',
  /** The client's protocol version is not supported. */
  'unsupported_version',
  /** The request needs a signed-in connection. */
  'unauthenticated',
  /** The challenge signature did not verify, or the key is unknown. */
  'auth_failed',
  /** register/login on a connection that is already signed in. */
  'already_authenticated',
  /** register with a username someone else has. */
  'username_taken',
  /** register with an identity key that already has an account. */
  'identity_exists',
  /** The DH key signature did not verify against the identity key. */
  'bad_signature',
  /** The user (or other object) does not exist. */
  'not_found',
  /** Too many frames on this connection; see retryAfterMs. */
  'rate_limited',
  /** The recipient's queue is full; try again later. */
  'queue_full',
  /**
   * A send's `after` message is not stored (it was refused): nothing was stored; send
   * `after` again first, then this one.
   */
  'out_of_order',
  /** bundle: the user has published no signed prekey yet (just signed up); try again shortly. */
  'no_prekeys',
  /** prekeys: the upload would take the one-time prekey stock above LIMITS.maxOneTimePreKeys. */
  'prekey_limit',
  /** send: `toKey` is not the recipient's current identity key; nothing was stored. */
  'identity_changed',
  /** The connection was idle past the heartbeat timeout. */
  'idle_timeout',
  /** The client reads too slowly; its send buffer overflowed. */
  'slow_consumer',
  /** The relay is shutting down; reconnect. */
  'shutting_down',
  /** Something failed inside the relay. Nothing was stored. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
