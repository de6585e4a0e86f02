import type { ProfileView } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';
import type { ActionContext } from './types';

export function createSessionActions({ bridge, store }: ActionContext) {
  return {
    /** Asks the core who we are; decides between sign-up and the main screen. */
    async loadSession(): Promise<void> {
      const result = await bridge.invoke('session.status', {});
      if (result.ok) store.getState().setProfile(result.value.profile);
      else store.getState().setSessionLoadError(result.code);
    },

    async signUp(username: string, displayName: string): Promise<IpcResult<ProfileView>> {
      const result = await bridge.invoke('session.signUp', { username, displayName });
      if (result.ok) store.getState().setProfile(result.value);
      return result;
    },

    async loadConnection(): Promise<void> {
      const result = await bridge.invoke('connection.status', {});
      // A failure here means the link is down, which the banner already shows.
      if (result.ok) store.getState().setRelayConnection(result.value, Date.now());
    },
  };
}
