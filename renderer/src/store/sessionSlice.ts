import type { ProfileView } from '../../../shared/ipc/contract';
import type { SliceCreator } from './appStore';

export type SessionStatus =
  /** We have not heard from the core yet. */
  | 'loading'
  /** This profile has no account: show sign-up. */
  | 'signedOut'
  | 'signedIn';

export interface SessionSlice {
  session: {
    status: SessionStatus;
    profile: ProfileView | null;
    /** Why `session.status` failed (an error code), when it did; cleared by the next answer. */
    loadError: string | null;
  };
  setProfile(profile: ProfileView | null): void;
  setSessionLoadError(code: string): void;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set) => ({
  session: { status: 'loading', profile: null, loadError: null },
  setProfile: (profile) => set({ session: { status: profile ? 'signedIn' : 'signedOut', profile, loadError: null } }),
  setSessionLoadError: (code) => set((state) => ({ session: { ...state.session, loadError: code } })),
});
