/**
 * What a request handler may see and do. The connection implements it; handlers stay free
 * of socket details, so each one reads as the protocol rule it implements.
 */
import type { PublicUser, ServerFrame } from '../../../shared/protocol';
import type { Bus } from '../bus/bus';
import type { ChannelListener } from '../channels/hub';
import type { ChannelServices } from '../channels/services';
import type { RelayLimits } from '../config/limits';
import type { GroupServices } from '../groups/services';
import type { OneTimePreKeyBudget } from '../limits/preKeyBudget';
import type { Logger } from '../log/logger';
import type { Account, Storage } from '../storage/storage';

/** Shared by every connection of one relay. */
export interface RelayServices {
  readonly storage: Storage;
  readonly bus: Bus;
  readonly logger: Logger;
  readonly limits: RelayLimits;
  readonly now: () => number;
  /** Channel fan-out and view counting (server/src/channels). */
  readonly channels: ChannelServices;
  /** Group message delivery (server/src/groups). */
  readonly groups: GroupServices;
  /** Who may take one-time prekeys (limits/preKeyBudget.ts). */
  readonly preKeyBudget: OneTimePreKeyBudget;
}

export interface RequestContext {
  readonly services: RelayServices;
  /** For log lines. */
  readonly connectionId: string;
  /** This connection's login challenge (sent in `hello`). */
  readonly challenge: Uint8Array;
  /** The signed-in account, once register/login succeeded. */
  readonly session: Account | undefined;
  /** Marks the connection as `account`; resolves once it receives that device's notifications. */
  signIn(account: Account): Promise<void>;
  /** The signed-in user's profile changed. */
  updateSessionUser(user: PublicUser): void;
  reply(frame: ServerFrame): void;
  /** This connection as a receiver of live channel pushes. */
  readonly channelListener: ChannelListener;
  /** Starts (or wakes) pushing this device's queue. */
  startDelivery(): void;
  /** These envelopes were deleted after the client's ack. */
  acknowledged(eids: readonly number[]): void;
}
