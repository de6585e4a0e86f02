/**
 * The renderer's link to the core. Under Electron the preload is in-process and always
 * there; in host mode it is a WebSocket that can drop, and the UI says so.
 */
export type LinkState = 'connecting' | 'up' | 'down';

export interface BridgeLink {
  readonly state: LinkState;
  /** Called on every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: LinkState) => void): () => void;
}

export const alwaysUpLink: BridgeLink = {
  state: 'up',
  subscribe: () => () => {},
};
