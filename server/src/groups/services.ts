/** What every connection of one relay shares for groups. */
import { GROUP_LIMITS } from '../../../shared/protocol';
import type { Logger } from '../log/logger';
import { GroupHub } from './hub';
import type { GroupStore } from './store';
import { PairThrottle } from '../limits/pairThrottle';

/** A client renews "typing" every few seconds while the user types; faster is noise. */
export const TYPING_INTERVAL_MS = 2_000;

export interface GroupServices {
  readonly hub: GroupHub;
  /** One typing push per (sender, group) per TYPING_INTERVAL_MS. */
  readonly typing: PairThrottle;
}

/** `now`: the relay's clock (purge deadlines, typing intervals). */
export function createGroupServices(store: GroupStore, logger: Logger, now: () => number): GroupServices {
  return {
    hub: new GroupHub(store, logger, GROUP_LIMITS.maxSyncBatch, GROUP_LIMITS.maxSyncBatch, now),
    typing: new PairThrottle(now, TYPING_INTERVAL_MS),
  };
}
