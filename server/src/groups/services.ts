/** What every connection of one relay shares for groups. */
import { GROUP_LIMITS } from '../../../shared/protocol';
import type { Logger } from '../log/logger';
import { GroupHub } from './hub';
import type { GroupStore } from './store';
import { TypingThrottle } from './typingThrottle';

export interface GroupServices {
  readonly hub: GroupHub;
  /** Per (sender, group) limit of gTyping pushes. */
  readonly typing: TypingThrottle;
}

/** `now`: the relay's clock (purge deadlines, typing intervals). */
export function createGroupServices(store: GroupStore, logger: Logger, now: () => number): GroupServices {
  return {
    hub: new GroupHub(store, logger, GROUP_LIMITS.maxSyncBatch, GROUP_LIMITS.maxSyncBatch, now),
    typing: new TypingThrottle(now),
  };
}
