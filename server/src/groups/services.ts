/** What every connection of one relay shares for groups. */
import { GROUP_LIMITS } from '../../../shared/protocol';
import type { Logger } from '../log/logger';
import { GroupHub } from './hub';
import type { GroupStore } from './store';

export interface GroupServices {
  readonly hub: GroupHub;
}

export function createGroupServices(store: GroupStore, logger: Logger): GroupServices {
  return { hub: new GroupHub(store, logger, GROUP_LIMITS.maxSyncBatch, GROUP_LIMITS.maxSyncBatch) };
}
