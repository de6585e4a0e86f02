/**
 * Mirrors the bridge link into the store, and catches up after the link comes back:
 * events sent while it was down are lost, so the state is reloaded from the core.
 */
import type { BridgeLink } from '../bridge/link';
import type { AppStore } from '../store/appStore';

export function watchLink(link: BridgeLink, store: AppStore, onReconnected: () => void): () => void {
  store.getState().setLinkState(link.state);
  let wasDown = false;
  return link.subscribe((state) => {
    store.getState().setLinkState(state);
    if (state === 'down') wasDown = true;
    if (state === 'up' && wasDown) {
      wasDown = false;
      onReconnected();
    }
  });
}
