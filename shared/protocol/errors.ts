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
  // Channels (shared/protocol/channels.ts); nothing is stored with any of these.
  /** No channel with this id, handle or invite; or a private channel the user is not in. */
  'unknown_channel',
  /** chanCreate with a handle another channel has. */
  'handle_taken',
  /** A channel post or edit body above CHANNEL_LIMITS.maxPostBytes. */
  'post_too_large',
  /** Posting, editing, deleting or pinning without being an admin of the channel. */
  'not_admin',
  /** Adding admins or managing invite links without being the channel's owner. */
  'not_owner',
  /** chanJoin with an invite token that does not exist or was revoked. */
  'invalid_invite',
  /** chanEdit with a rev not above the stored one (or of an unknown post). */
  'stale_revision',
  /**
   * chanAdmin past CHANNEL_LIMITS.maxAdmins admins (owner included), or chanUnadmin past
   * CHANNEL_LIMITS.maxRevocations removed admins.
   */
  'admin_limit',
  // Groups (shared/protocol/groups.ts); nothing is stored with any of these.
  /** No group with this id, or the user is not (or no longer) a member. */
  'unknown_group',
  /** gCreate with a group id that is taken. */
  'group_exists',
  /** gSend, gChange or gLog by a user who is not a member of the group. */
  'not_group_member',
  /** A change that needs the admin (or owner) role, by someone without it. */
  'not_group_admin',
  /** The change would take the group above GROUP_LIMITS.maxMembers. */
  'group_full',
  /** The change's version is not the group's version + 1 (another change came first): re-read, re-sign. */
  'group_version_conflict',
  /** A change whose content is wrong: member hash mismatch, adding a member, removing a non-member, … */
  'bad_group_change',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
