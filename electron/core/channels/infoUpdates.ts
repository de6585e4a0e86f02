/**
 * Pushed changes of a channel's info that are not posts: a new avatar, a changed admin
 * list. Each carries the info revision it made. Applied only when it is the next one (like
 * posts by cseq); a gap means a change was missed, and the caller re-reads the whole info.
 */
import type { FrameOf, ChannelServerFrame } from '../../../shared/protocol';
import { usableAvatar } from './avatar';
import type { ChannelRepo } from './repo';
import { verifiedRevocations } from './revocations';

export type InfoPushFrame = FrameOf<ChannelServerFrame, 'chanAvatar' | 'chanAdminChange'>;

/**
 * - `applied`: stored; the channel's view changed.
 * - `refresh`: re-read the info from the relay (a missed change, or our own role changed).
 * - `ignored`: not a channel held here, or already reflected.
 */
export type InfoPushOutcome = 'applied' | 'refresh' | 'ignored';

export function applyInfoPush(repo: ChannelRepo, frame: InfoPushFrame, myUserId: string | null): InfoPushOutcome {
  const row = repo.get(frame.channelId);
  if (!row || frame.infoRev <= row.info_rev) return 'ignored';
  if (frame.infoRev !== row.info_rev + 1) return 'refresh';
  if (frame.t === 'chanAvatar') {
    repo.setAvatar(frame.channelId, usableAvatar(frame.avatar), frame.infoRev);
    return 'applied';
  }
  repo.transaction(() => {
    repo.setRevocations(frame.channelId, verifiedRevocations(row.channel_key, frame.revoked));
    repo.setInfoRev(frame.channelId, frame.infoRev);
  });
  // Our own role changed (made or unmade admin): only the relay's info for us says which.
  return frame.userId === myUserId ? 'refresh' : 'applied';
}
