/** Relay limits. The relay announces the ones a client must respect in `hello`. */
export const LIMITS = {
  /** Largest frame the relay accepts; larger ones are answered with frame_too_large. */
  maxFrameBytes: 256 * 1024,
  /** Largest message body (ciphertext). */
  maxBodyBytes: 192 * 1024,
  /** Frames per second per connection (token bucket refill) and bucket size. */
  ratePerSecond: 100,
  rateBurst: 200,
  /** The relay pings every heartbeatMs; a connection silent for 3× that is closed. */
  heartbeatMs: 15_000,
  /** Unacknowledged `msg` frames in flight per connection. */
  deliveryWindow: 256,
  /** Envelopes waiting for one device before sends to it answer queue_full. */
  maxQueueDepth: 10_000,
  /** Bytes buffered in a socket before the relay stops pushing to it (it resumes on drain). */
  sendBufferHighWater: 4 * 1024 * 1024,
  /** Bytes buffered past which a socket is closed with slow_consumer. */
  sendBufferHardLimit: 32 * 1024 * 1024,
  /** Search results per query. */
  maxSearchResults: 20,
  /** One-time prekeys in one `prekeys` upload. */
  maxOneTimePreKeysPerUpload: 200,
  /** One-time prekeys the relay keeps per account. */
  maxOneTimePreKeys: 1_000,
} as const;

/** WebSocket close codes the relay uses (4000–4999 are application codes). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  idleTimeout: 4001,
  slowConsumer: 4002,
  unsupportedVersion: 4003,
  tooManyBadFrames: 4004,
  /** A newer connection signed in as the same device; do not reconnect automatically. */
  sessionReplaced: 4005,
} as const;
