/** Which relay frame answers each group request (shared/protocol/groups.ts). */
import type { FrameOf, GroupClientFrame, GroupServerFrame, ServerFrame } from '../../../shared/protocol';

export const GROUP_RESPONSE_TYPE = {
  gCreate: 'gState',
  gChange: 'gState',
  // An approval link answers gJoinPending instead; the socket accepts either (ALT_RESPONSE_TYPE).
  gJoin: 'gState',
  gInfo: 'gState',
  gLog: 'gChanges',
  gSend: 'gSent',
  gSync: 'ok',
  gAck: 'ok',
  gTyping: 'ok',
  gList: 'gListed',
} as const satisfies Record<GroupClientFrame['t'], ServerFrame['t']>;

/** Frames the relay pushes about groups (no `re`). */
export type GroupPushFrame = FrameOf<GroupServerFrame, 'gMsg' | 'gChanged' | 'gJoinReq' | 'gTyping'>;
