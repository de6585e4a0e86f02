/**
 * Channel and call names only, with no schema library attached, so the preload can import
 * them without pulling validation code into the sandboxed renderer's bridge. contract.ts
 * checks (at compile time) that it declares exactly these names.
 */
import { CHANNEL_EVENT_NAMES, CHANNEL_REQUEST_NAMES } from './channelNames';
import { GROUP_EVENT_NAMES, GROUP_REQUEST_NAMES } from './groupNames';

export const REQUEST_NAMES = [
  'session.status',
  'session.signUp',
  'session.updateProfile',
  'session.resetKeys',
  'connection.status',
  'users.search',
  'chats.list',
  'chats.openDirect',
  'messages.history',
  'messages.send',
  'messages.markRead',
  'messages.edit',
  'messages.deleteForMe',
  'messages.deleteForEveryone',
  'messages.react',
  'messages.forward',
  'chats.setTimer',
  'chats.saveDraft',
  'chats.setReadReceipts',
  'chats.typing',
  'settings.get',
  'settings.setReadReceipts',
  'security.safetyNumber',
  'security.setVerified',
  'security.acceptKeyChange',
  ...CHANNEL_REQUEST_NAMES,
  ...GROUP_REQUEST_NAMES,
] as const;

export const EVENT_NAMES = [
  'session.changed',
  'connection.changed',
  'message.added',
  'message.updated',
  'chat.updated',
  'message.removed',
  'chat.typing',
  ...CHANNEL_EVENT_NAMES,
  ...GROUP_EVENT_NAMES,
] as const;

/** Electron IPC channels: one for calls (invoke/handle), one for events (main → renderer). */
export const IPC_CHANNELS = {
  invoke: 'parley:invoke',
  event: 'parley:event',
} as const;

/** Host mode: the WebSocket path of the bridge; the token travels as `?token=`. */
export const HOST_BRIDGE_PATH = '/bridge';

/** The name under which the preload exposes the API on `window`. */
export const BRIDGE_GLOBAL = 'parley';

export function isRequestName(name: unknown): name is (typeof REQUEST_NAMES)[number] {
  return typeof name === 'string' && (REQUEST_NAMES as readonly string[]).includes(name);
}
export function isEventName(name: unknown): name is (typeof EVENT_NAMES)[number] {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
