/**
 * What the connection banner says, from the link to the core and the core's link to the
 * relay. The core link comes first: without it, the relay state we hold is stale.
 */
import type { ConnectionView } from '../../../../shared/ipc/contract';
import type { LinkState } from '../../bridge/link';

export type BannerState =
  | { kind: 'hidden' }
  | { kind: 'coreLost' }
  | { kind: 'connecting' }
  | { kind: 'offline'; retryInSeconds: number | null };

export interface BannerInput {
  link: LinkState;
  relay: ConnectionView | null;
  retryAt: number | null;
  /** Whether the relay state matters yet (before an account exists, it does not). */
  showRelay: boolean;
  now: number;
}

export function bannerState({ link, relay, retryAt, showRelay, now }: BannerInput): BannerState {
  if (link === 'down') return { kind: 'coreLost' };
  if (!showRelay || !relay || relay.state === 'online') return { kind: 'hidden' };
  if (relay.state === 'connecting') return { kind: 'connecting' };
  if (retryAt === null) return { kind: 'offline', retryInSeconds: null };
  const seconds = Math.ceil((retryAt - now) / 1000);
  // The countdown has run out: the core is trying right now.
  return seconds > 0 ? { kind: 'offline', retryInSeconds: seconds } : { kind: 'connecting' };
}
