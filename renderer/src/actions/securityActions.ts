import type { ChatView, ProfileView, SafetyNumberView } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';
import type { ActionContext } from './types';

/** Safety numbers, verification, key changes, and resetting our own keys. */
export function createSecurityActions({ bridge, store }: ActionContext) {
  const chatAnswer = (result: IpcResult<ChatView>): IpcResult<ChatView> => {
    if (result.ok) store.getState().upsertChat(result.value);
    return result;
  };

  const loadSafetyNumber = async (chatId: string): Promise<IpcResult<SafetyNumberView>> => {
    const result = await bridge.invoke('security.safetyNumber', { chatId });
    if (result.ok) store.getState().safetyNumberLoaded(result.value);
    return result;
  };

  return {
    loadSafetyNumber,

    /** Marks the peer verified (or not); the chat's security state follows the core's answer. */
    async setVerified(chatId: string, verified: boolean, digits?: string): Promise<IpcResult<ChatView>> {
      const result = chatAnswer(await bridge.invoke('security.setVerified', { chatId, verified, digits }));
      // The number shown is out of date: show the new one to compare.
      if (!result.ok && result.code === 'safety_number_changed') await loadSafetyNumber(chatId);
      return result;
    },

    /** "Send anyway": the user accepts the peer's new key; held messages go out. */
    async acceptKeyChange(chatId: string): Promise<IpcResult<ChatView>> {
      return chatAnswer(await bridge.invoke('security.acceptKeyChange', { chatId }));
    },

    /** Replaces this device's identity keys: every safety number changes. */
    async resetKeys(): Promise<IpcResult<ProfileView>> {
      const result = await bridge.invoke('session.resetKeys', {});
      if (result.ok) {
        store.getState().setProfile(result.value);
        store.getState().forgetSafetyNumbers();
      }
      return result;
    },

    openSafetyNumber(chatId: string): void {
      store.getState().openSafetyNumberDialog(chatId);
    },

    closeSafetyNumber(): void {
      store.getState().closeSafetyNumberDialog();
    },
  };
}
