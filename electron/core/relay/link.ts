import type { RelayRequest, RelayResponse } from './frames';

/** What the domain services need from the relay connection (RelayConnection implements it). */
export interface RelayLink {
  isOnline(): boolean;
  /** Rejects with RelayError; `disconnected` when not online. */
  request<F extends RelayRequest>(frame: F, timeoutMs?: number): Promise<RelayResponse<F['t']>>;
}
