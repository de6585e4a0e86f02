import type { ParleyBridge } from '../../../shared/ipc/api';
import type { BRIDGE_GLOBAL } from '../../../shared/ipc/names';

/** The global the preload exposes the contract under (typed against the contract's name). */
const GLOBAL_NAME: typeof BRIDGE_GLOBAL = 'parley';

/** The preload's API when running inside Electron, else null. */
export function electronBridge(win: Window): ParleyBridge | null {
  const candidate = (win as unknown as Record<string, unknown>)[GLOBAL_NAME];
  return candidate && typeof candidate === 'object' ? (candidate as ParleyBridge) : null;
}
