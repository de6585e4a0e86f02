/**
 * The IPC contract between the renderer and the core: every request (input and output
 * schema) and every event (payload schema), declared once. The preload's exposed API, the
 * main-process handler helper, the host-mode bridge and the renderer's typed client are
 * all derived from this file. View models here never carry key material.
 */
import { z } from 'zod';
import type { EVENT_NAMES, REQUEST_NAMES } from './names';

// ---------------------------------------------------------------- view models

export const usernameInput = z
  .string()
  .trim()
  .transform((s) => s.replace(/^@/, '').toLowerCase())
  .pipe(
    z
      .string()
      .min(3, 'at least 3 characters')
      .max(32, 'at most 32 characters')
      .regex(/^[a-z][a-z0-9_]*$/, 'letters, digits and _, starting with a letter'),
  );
export const displayNameInput = z.string().trim().min(1, 'required').max(64, 'at most 64 characters');

export const profileView = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
});
export type ProfileView = z.infer<typeof profileView>;

export const userView = profileView;
export type UserView = ProfileView;

export const connectionState = z.enum(['connecting', 'online', 'offline']);
export const connectionView = z.object({
  state: connectionState,
  /** When offline: ms until the next reconnect attempt. */
  retryInMs: z.number().int().nonnegative().optional(),
  /** Relay URL the core talks to (shown in settings/diagnostics). */
  relayUrl: z.string(),
});
export type ConnectionView = z.infer<typeof connectionView>;

/**
 * Outgoing: sending (in the outbox) → sent (relay committed) → delivered (peer committed)
 * → read (peer opened the chat). failed means the relay refused it for good (not offline:
 * offline messages stay "sending" and go out on reconnect). Incoming messages have no status.
 */
export const deliveryStatus = z.enum(['sending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

/**
 * text: a message someone wrote. The others are lines the core adds to the history itself
 * (text empty; the renderer words them): keyChanged — the peer's identity key (safety
 * number) changed here; undecryptable — a message arrived that could not be decrypted.
 */
export const messageKind = z.enum(['text', 'keyChanged', 'undecryptable']);
export type MessageKind = z.infer<typeof messageKind>;

export const messageView = z.object({
  /** The message id (UUID), the same on both sides. */
  id: z.string(),
  kind: messageKind.default('text'),
  chatId: z.string(),
  senderId: z.string(),
  fromMe: z.boolean(),
  text: z.string(),
  /** Sender's clock when written, ms since epoch. */
  sentAt: z.number(),
  /** Per-conversation sequence from the relay; absent while still in the outbox. */
  seq: z.number().int().optional(),
  status: deliveryStatus.optional(),
  /** For failed: why. */
  error: z.string().optional(),
});
export type MessageView = z.infer<typeof messageView>;

/** What the user knows about the peer's identity key in a direct chat. */
export const chatSecurityView = z.object({
  /** The user compared safety numbers and marked this contact verified (for its current key). */
  verified: z.boolean(),
  /** The peer's identity key changed and the user has not acknowledged it yet. */
  keyChanged: z.boolean(),
  /** Sending waits for the user's confirmation (the key of a verified contact changed). */
  sendingHeld: z.boolean(),
});
export type ChatSecurityView = z.infer<typeof chatSecurityView>;

export const safetyNumberView = z.object({
  chatId: z.string(),
  peer: userView,
  /** 60 digits, the same on both sides. */
  digits: z.string().regex(/^\d{60}$/),
  /** The digits in 12 groups of 5, for display. */
  groups: z.array(z.string()).length(12),
  /** What the QR code encodes (both identity fingerprints, versioned). */
  qrText: z.string(),
  verified: z.boolean(),
  keyChanged: z.boolean(),
});
export type SafetyNumberView = z.infer<typeof safetyNumberView>;

export const chatView = z.object({
  /** Stable id: `dm:` + the peer's user id for direct chats. */
  id: z.string(),
  kind: z.literal('direct'),
  peer: userView,
  lastMessage: messageView.optional(),
  unread: z.number().int().nonnegative(),
  /** For ordering the chat list: last activity, ms since epoch. */
  updatedAt: z.number(),
  /** True when the chat is end-to-end encrypted (all direct chats). */
  encrypted: z.boolean(),
  security: chatSecurityView,
});
export type ChatView = z.infer<typeof chatView>;

const chatIdInput = z.string().min(1).max(128);
const messageIdInput = z.string().min(1).max(64);

// ---------------------------------------------------------------- requests

export const requests = {
  /** Whether this profile has an account yet, and who it is. */
  'session.status': {
    input: z.object({}),
    output: z.object({ profile: profileView.nullable() }),
  },
  /** Create the account on the relay with fresh device keys. */
  'session.signUp': {
    input: z.object({ username: usernameInput, displayName: displayNameInput }),
    output: profileView,
  },
  'session.updateProfile': {
    input: z.object({ displayName: displayNameInput }),
    output: profileView,
  },
  /**
   * Replace this device's identity keys ("reset encryption keys"): contacts see that the
   * safety number changed. Sessions start afresh.
   */
  'session.resetKeys': {
    input: z.object({}),
    output: profileView,
  },
  'connection.status': {
    input: z.object({}),
    output: connectionView,
  },
  /** Find people by username prefix (a leading @ is ignored). */
  'users.search': {
    input: z.object({ query: z.string().trim().min(1).max(33) }),
    output: z.object({ users: z.array(userView) }),
  },
  'chats.list': {
    input: z.object({}),
    output: z.object({ chats: z.array(chatView) }),
  },
  /** Open (creating locally if needed) the direct chat with a user. */
  'chats.openDirect': {
    input: z.object({ userId: z.string().min(1).max(64) }),
    output: chatView,
  },
  /**
   * A page of history, oldest first. Without `before`, the newest page; with it, the page
   * just older than that cursor. `cursor` is null when there is nothing older.
   */
  'messages.history': {
    input: z.object({
      chatId: chatIdInput,
      before: z.string().max(128).optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ messages: z.array(messageView), cursor: z.string().nullable() }),
  },
  /** Queue a text message; it is in the persisted outbox when this returns. */
  'messages.send': {
    input: z.object({
      chatId: chatIdInput,
      text: z
        .string()
        .max(16_000, 'message too long')
        .refine((s) => s.trim().length > 0, 'message is empty'),
    }),
    output: messageView,
  },
  /** The user has seen the chat up to and including this message: clears unread, sends read receipts. */
  'messages.markRead': {
    input: z.object({ chatId: chatIdInput, upToId: messageIdInput }),
    output: z.object({ unread: z.number().int().nonnegative() }),
  },
  /** The safety number of a direct chat (from both identity keys), for comparing with the peer. */
  'security.safetyNumber': {
    input: z.object({ chatId: chatIdInput }),
    output: safetyNumberView,
  },
  /** Mark the peer verified (after comparing safety numbers) or not. Acknowledges a key change. */
  'security.setVerified': {
    input: z
      .object({
        chatId: chatIdInput,
        verified: z.boolean(),
        /**
         * The 60 digits the user compared. Required to verify: the core refuses
         * (`safety_number_changed`) if the peer's key changed since they were shown.
         */
        digits: z
          .string()
          .regex(/^\d{60}$/)
          .optional(),
      })
      .refine((v) => !v.verified || v.digits !== undefined, {
        message: 'verifying needs the safety number that was compared',
        path: ['digits'],
      }),
    output: chatView,
  },
  /** The user acknowledges the peer's new key: the notice goes, held messages are sent. */
  'security.acceptKeyChange': {
    input: z.object({ chatId: chatIdInput }),
    output: chatView,
  },
} as const satisfies Record<(typeof REQUEST_NAMES)[number], { input: z.ZodType; output: z.ZodType }>;

// ---------------------------------------------------------------- events

export const events = {
  'session.changed': z.object({ profile: profileView.nullable() }),
  'connection.changed': connectionView,
  /** A message appeared in a chat (received, or sent from this device). */
  'message.added': messageView,
  /** A message changed (delivery status, seq assigned, failed). Carries the whole new view. */
  'message.updated': messageView,
  /** A chat's summary changed (new message, unread count, peer's profile). */
  'chat.updated': chatView,
} as const satisfies Record<(typeof EVENT_NAMES)[number], z.ZodType>;

// ---------------------------------------------------------------- derived types

export type Requests = typeof requests;
export type RequestName = keyof Requests;
/** What a caller passes (before defaults and transforms). */
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
/** What a handler receives (after validation). */
export type RequestParsed<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Requests[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
