/**
 * The IPC contract between the renderer and the core: every request (input and output
 * schema) and every event (payload schema), declared once. The preload's exposed API, the
 * main-process handler helper, the host-mode bridge and the renderer's typed client are
 * all derived from this file. View models here never carry key material.
 */
import { z } from 'zod';
import { channelEvents, channelRequests } from './channels';
import { groupEvents, groupRequests } from './groups';
import {
  chatIdInput,
  messageIdInput,
  messageTextInput,
  lifecycleViewFields,
  reactionInput,
  timerInput,
} from './lifecycleInputs';
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
export const messageKind = z.enum(['text', 'keyChanged', 'undecryptable', 'timer']);
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
  ...lifecycleViewFields,
});
export type MessageView = z.infer<typeof messageView>;

export { REACTION_CHOICES, TIMER_CHOICES } from './lifecycleInputs';

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
  /** Self-destruct timer for new messages, seconds (0: off). */
  timer: z.number().int().nonnegative().default(0),
  /** The composer's unsent text. */
  draft: z.string().default(''),
  /** Whether read receipts are sent in this chat (per-chat choice, or the global setting). */
  readReceipts: z.boolean().default(true),
  /** The per-chat choice; absent: the chat follows the global setting. */
  readReceiptsOverride: z.boolean().optional(),
});
export type ChatView = z.infer<typeof chatView>;

export const settingsView = z.object({ readReceipts: z.boolean() });
export type SettingsView = z.infer<typeof settingsView>;

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
      text: messageTextInput,
      /** Answer this message (same chat). */
      replyTo: messageIdInput.optional(),
    }),
    output: messageView,
  },
  /** Change the text of one of our own messages; the peer sees it marked edited. */
  'messages.edit': {
    input: z.object({ chatId: chatIdInput, messageId: messageIdInput, text: messageTextInput }),
    output: messageView,
  },
  /** Remove a message from this device only. */
  'messages.deleteForMe': {
    input: z.object({ chatId: chatIdInput, messageId: messageIdInput }),
    output: z.object({}),
  },
  /** Remove one of our own messages here and on the peer's device. */
  'messages.deleteForEveryone': {
    input: z.object({ chatId: chatIdInput, messageId: messageIdInput }),
    output: z.object({}),
  },
  /** React to a message ('' takes our reaction back). */
  'messages.react': {
    input: z.object({
      chatId: chatIdInput,
      messageId: messageIdInput,
      emoji: reactionInput,
    }),
    output: messageView,
  },
  /** Send a copy of a message to another chat (not for self-destructing messages). */
  'messages.forward': {
    input: z.object({ chatId: chatIdInput, messageId: messageIdInput, toChatId: chatIdInput }),
    output: messageView,
  },
  /** Set the chat's self-destruct timer for new messages (both sides; announced in the chat). */
  'chats.setTimer': {
    input: z.object({ chatId: chatIdInput, seconds: timerInput }),
    output: chatView,
  },
  /** Keep the composer's unsent text for this chat (across restarts). */
  'chats.saveDraft': {
    input: z.object({ chatId: chatIdInput, draft: z.string().max(16_000) }),
    output: z.object({}),
  },
  /** Read receipts in this chat: on, off, or null to follow the global setting. */
  'chats.setReadReceipts': {
    input: z.object({ chatId: chatIdInput, enabled: z.boolean().nullable() }),
    output: chatView,
  },
  /** The user is typing in this chat (rate-limited and best effort; never stored). */
  'chats.typing': {
    input: z.object({ chatId: chatIdInput }),
    /** Whether an indicator went out (not when offline, rate-limited, or no session yet). */
    output: z.object({ sent: z.boolean() }),
  },
  'settings.get': {
    input: z.object({}),
    output: settingsView,
  },
  /** The global read-receipts setting (chats without their own choice follow it). */
  'settings.setReadReceipts': {
    input: z.object({ enabled: z.boolean() }),
    output: settingsView,
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
  ...channelRequests,
  ...groupRequests,
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
  /** A message is gone (expired, or deleted for me or by its sender): drop it everywhere. */
  'message.removed': z.object({ chatId: z.string(), id: z.string() }),
  /** The peer is typing in this chat (shown for a few seconds). */
  'chat.typing': z.object({ chatId: z.string(), userId: z.string() }),
  ...channelEvents,
  ...groupEvents,
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
