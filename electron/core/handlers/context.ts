import type { Logger } from '../api';
import type { Session } from '../account/session';
import type { ChannelService } from '../channels/service';
import type { GroupService } from '../groups/service';
import type { Store } from '../db/store';
import type { CoreEvents } from '../events';
import type { UserDirectory } from '../messaging/directory';
import type { ExpiryScheduler } from '../messaging/expiry';
import type { OutboxSender } from '../messaging/outboxSender';
import type { TypingSender } from '../messaging/typing';
import type { ViewEvents } from '../messaging/viewEvents';
import type { RelayConnection } from '../relay/connection';

/** Everything a request handler may use. */
export interface CoreContext {
  store: Store;
  session: Session;
  relay: RelayConnection;
  directory: UserDirectory;
  outbox: OutboxSender;
  channels: ChannelService;
  groups: GroupService;
  expiry: ExpiryScheduler;
  typing: TypingSender;
  views: ViewEvents;
  events: CoreEvents;
  logger: Logger;
}
