/**
 * Hands the store and the actions to components. Created once in main.tsx; tests and
 * stories could provide their own.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppActions } from '../actions/createActions';
import type { AppState, AppStore } from '../store/appStore';

export interface AppServices {
  store: AppStore;
  actions: AppActions;
}

const AppContext = createContext<AppServices | null>(null);

export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <AppContext.Provider value={services}>{children}</AppContext.Provider>;
}

function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppProvider is missing');
  return services;
}

/** Subscribes to a slice of the state; the selector must return a stable reference for unchanged data. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useServices().store, selector);
}

export function useActions(): AppActions {
  return useServices().actions;
}
