/** Which relay frame answers each channel request (shared/protocol/channels.ts). */
import type { ChannelClientFrame, ChannelServerFrame, FrameOf, ServerFrame } from '../../../shared/protocol';

export const CHANNEL_RESPONSE_TYPE = {
  chanCreate: 'channel',
  chanSearch: 'channels',
  chanHistory: 'chanPosts',
  chanSub: 'channel',
  chanUnsub: 'ok',
  chanJoin: 'channel',
  chanPost: 'chanPosted',
  chanEdit: 'chanPosted',
  chanPin: 'ok',
  chanAdmin: 'channel',
  chanUnadmin: 'channel',
  chanAdmins: 'chanAdminList',
  chanSetAvatar: 'channel',
  chanInvite: 'chanInviteToken',
  chanRevoke: 'ok',
  chanSync: 'chanBatch',
  chanViews: 'chanStats',
} as const satisfies Record<ChannelClientFrame['t'], ServerFrame['t']>;

/** Frames the relay pushes about channels (no `re`). */
export type ChannelPushFrame = FrameOf<
  ChannelServerFrame,
  'chanPush' | 'chanPinned' | 'chanAvatar' | 'chanAdminChange' | 'chanResync'
>;
