import type { ChatSecurityView, SafetyNumberView } from '../../../shared/ipc/contract';
import type { SliceCreator } from './appStore';

export interface SecuritySlice {
  security: {
    /** The last safety number the core gave us per chat; dropped when it can no longer be right. */
    safetyNumbers: Readonly<Record<string, SafetyNumberView>>;
    /** The chat whose "Verify safety number" dialog is open, if any. */
    dialogChatId: string | null;
  };
  safetyNumberLoaded(view: SafetyNumberView): void;
  /** Our own keys changed: every safety number we hold is stale. */
  forgetSafetyNumbers(): void;
  openSafetyNumberDialog(chatId: string): void;
  closeSafetyNumberDialog(): void;
}

/**
 * Whether the peer's identity key changed between two versions of a chat's security
 * state: the notice appearing is the only sign of it a chat view carries.
 */
export function peerKeyChanged(previous: ChatSecurityView | undefined, next: ChatSecurityView): boolean {
  return next.keyChanged && !(previous?.keyChanged ?? false);
}

/** What the chat should say about the peer's key: a held-sending banner, a notice line only, or nothing. */
export type SecurityNotice = 'held' | 'changed' | 'none';

export function securityNotice(security: ChatSecurityView): SecurityNotice {
  if (security.sendingHeld) return 'held';
  return security.keyChanged ? 'changed' : 'none';
}

export const createSecuritySlice: SliceCreator<SecuritySlice> = (set) => ({
  security: { safetyNumbers: {}, dialogChatId: null },
  safetyNumberLoaded: (view) =>
    set((state) => ({
      security: { ...state.security, safetyNumbers: { ...state.security.safetyNumbers, [view.chatId]: view } },
    })),
  forgetSafetyNumbers: () => set((state) => ({ security: { ...state.security, safetyNumbers: {} } })),
  openSafetyNumberDialog: (chatId) => set((state) => ({ security: { ...state.security, dialogChatId: chatId } })),
  closeSafetyNumberDialog: () => set((state) => ({ security: { ...state.security, dialogChatId: null } })),
});
