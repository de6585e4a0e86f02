import type { ConnectionView } from '../../../shared/ipc/contract';
import type { LinkState } from '../bridge/link';
import type { SliceCreator } from './appStore';

export interface ConnectionSlice {
  connection: {
    /** The core's connection to the relay, as it last told us. */
    relay: ConnectionView | null;
    /** When offline: the wall-clock time of the next reconnect attempt (for the countdown). */
    retryAt: number | null;
    /** The renderer's own link to the core (always up under Electron). */
    link: LinkState;
  };
  setRelayConnection(view: ConnectionView, receivedAt: number): void;
  setLinkState(link: LinkState): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  connection: { relay: null, retryAt: null, link: 'connecting' },
  setRelayConnection: (view, receivedAt) =>
    set((state) => ({
      connection: {
        ...state.connection,
        relay: view,
        retryAt: view.state === 'offline' && view.retryInMs !== undefined ? receivedAt + view.retryInMs : null,
      },
    })),
  setLinkState: (link) => set((state) => ({ connection: { ...state.connection, link } })),
});
