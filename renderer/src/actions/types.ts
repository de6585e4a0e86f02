import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';

/** What every action needs: the transport to the core and the store it updates. */
export interface ActionContext {
  bridge: ParleyBridge;
  store: AppStore;
}

/** For failures nobody is waiting on (background loads): visible to developers, not fatal. */
export function reportBackgroundFailure(what: string, failure: { code: string; message: string }): void {
  console.warn(`${what} failed: ${failure.code}: ${failure.message}`);
}
