/** Channel request and event names (kept apart so names.ts stays a short list of wiring lines). */
export const CHANNEL_REQUEST_NAMES = [
  'channels.list',
  'channels.create',
  'channels.search',
  'channels.preview',
  'channels.subscribe',
  'channels.unsubscribe',
  'channels.setMuted',
  'channels.history',
  'channels.markRead',
  'channels.stats',
  'channels.post',
  'channels.editPost',
  'channels.deletePost',
  'channels.pin',
  'channels.addAdmin',
  'channels.admins',
  'channels.removeAdmin',
  'channels.setAvatar',
  'channels.createInvite',
  'channels.revokeInvite',
  'channels.joinByInvite',
  'channels.avatar',
] as const;

export const CHANNEL_EVENT_NAMES = ['channel.updated', 'channel.post', 'channel.removed'] as const;
