/**
 * Assembles a core for one profile: lock, database, account, relay connection, outbox,
 * incoming processor, request handlers. `openCore` takes tuning knobs (timeouts, backoff)
 * that tests and benchmarks may shorten; products use createCore's defaults.
 */
import path from 'node:path';
import type { Core, CoreOptions } from './api';
import { PreKeyService } from './account/preKeys';
import { Session } from './account/session';
import { ChannelService } from './channels/service';
import { GroupService } from './groups/service';
import { sodiumReady } from './crypto/sodium';
import { Store } from './db/store';
import { CoreEvents } from './events';
import { createHandlers } from './handlers';
import type { CoreContext } from './handlers/context';
import { describeError, silentLogger } from './logger';
import { UserDirectory } from './messaging/directory';
import { ExpiryScheduler } from './messaging/expiry';
import { KeyChangeCheck } from './messaging/keyCheck';
import { GROUP_EXPIRY_SOURCE } from './groups/expiry';
import { IncomingProcessor } from './messaging/incoming';
import { TypingSender } from './messaging/typing';
import type { IdentityChange } from './messaging/identity';
import { OutboxSender } from './messaging/outboxSender';
import type { SealHooks } from './messaging/sealing';
import { ViewEvents } from './messaging/viewEvents';
import { ensureProfileDir } from './profile/profileDir';
import { acquireProfileLock } from './profile/lock';
import { openProfileDatabase } from './profile/profileDatabase';
import type { BackoffPolicy } from './relay/backoff';
import { RelayConnection } from './relay/connection';

export const DATABASE_FILE_NAME = 'parley.db';

export interface CoreTuning {
  reconnectBackoff?: BackoffPolicy;
  outboxRetryBackoff?: BackoffPolicy;
  handshakeTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Test seams inside the outbox's sealing transaction (crash simulation). */
  sealHooks?: SealHooks;
  /** Test seam: sees the opened store (integration tests inspect what a device holds). */
  inspectStore?: (store: Store) => void;
  /** Test seam: sees the group service (integration tests replay or forge group frames). */
  inspectGroups?: (groups: GroupService) => void;
  /** How often the one-time prekey stock is checked while online. Default PREKEY_CHECK_INTERVAL_MS. */
  preKeyCheckIntervalMs?: number;
}

/**
 * Besides every login and every session someone starts with us, the prekey stock is checked
 * this often while online: bundles fetched without a session following (the relay's budget
 * lets many accounts together take up to 50 an hour) never tell us the stock ran low.
 */
export const PREKEY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export async function openCore(options: CoreOptions, tuning: CoreTuning = {}): Promise<Core> {
  const logger = options.logger ?? silentLogger;
  assertRelayUrl(options.relayUrl);
  ensureProfileDir(options.profileDir);
  const lock = acquireProfileLock(options.profileDir);
  let store: Store;
  try {
    await sodiumReady();
    store = new Store(
      await openProfileDatabase(
        options.profileDir,
        path.join(options.profileDir, DATABASE_FILE_NAME),
        options.databaseKey ?? {},
        logger,
      ),
    );
  } catch (err) {
    lock.release();
    throw err;
  }

  tuning.inspectStore?.(store);
  const events = new CoreEvents(logger);
  const views = new ViewEvents(store, events);
  const preKeys = new PreKeyService(store, logger);
  const announceIdentityChange = (change: IdentityChange) => {
    if (change.lineLocalId !== null) views.messageAdded(change.lineLocalId);
    views.chatUpdated(change.chatId);
  };
  // The connection and the session refer to each other (login needs the account; sign-up
  // starts the connection), hence the late binding.
  const session = new Session({
    store,
    views,
    logger,
    relayUrl: options.relayUrl,
    relay: () => relay,
    preKeys,
    onIdentityReset: () => outbox.kick(),
    handshakeTimeoutMs: tuning.handshakeTimeoutMs,
  });
  const relay: RelayConnection = new RelayConnection({
    url: options.relayUrl,
    logger,
    backoff: tuning.reconnectBackoff,
    handshakeTimeoutMs: tuning.handshakeTimeoutMs,
    requestTimeoutMs: tuning.requestTimeoutMs,
    hooks: {
      authenticate: (socket) => session.authenticate(socket),
      onMessage: (msg, socket) => incoming.accept(msg, socket),
      onOnline: () => {
        outbox.kick();
        channels.onOnline();
        groups.onOnline();
        // Key resets of partners made while we were offline (the push reached only those online).
        void keyCheck.start();
      },
      onChannelPush: (frame) => channels.onPush(frame),
      onGroupPush: (frame) => groups.onPush(frame),
      onKeyChanged: (userId) => {
        directory.refresh(userId).catch((err: unknown) => {
          logger.warn('could not check a contact whose keys changed', { userId, error: describeError(err) });
        });
      },
    },
  });
  const channels = new ChannelService({
    db: store.db,
    relay,
    account: () => session.current(),
    events,
    logger,
  });
  const directory = new UserDirectory(store, relay, logger, announceIdentityChange);
  const keyCheck = new KeyChangeCheck(store, relay, directory, logger);
  const groups = new GroupService({
    store,
    relay,
    directory,
    account: () => session.current(),
    events,
    logger,
    kickOutbox: () => outbox.kick(),
    expiry: {
      noteCountdowns: (localIds) => expiry.noteCountdowns(localIds, GROUP_EXPIRY_SOURCE),
      afterRemoval: () => expiry.afterRemoval(),
    },
  });
  tuning.inspectGroups?.(groups);
  const outbox = new OutboxSender({
    store,
    link: relay,
    logger,
    account: () => session.current(),
    onIdentityChanged: announceIdentityChange,
    sealHooks: tuning.sealHooks,
    retryBackoff: tuning.outboxRetryBackoff,
    onMessagesChanged: (localIds, chatIds) => {
      for (const localId of localIds) views.messageUpdated(localId);
      for (const chatId of chatIds) views.chatUpdated(chatId);
      // Timed messages the relay took now have a hard cap.
      expiry.noteCountdowns(localIds);
    },
  });
  const incoming = new IncomingProcessor({
    store,
    directory,
    logger,
    account: () => session.current(),
    onCommitted: (changes) => {
      for (const localId of changes.addedLocalIds) views.messageAdded(localId);
      for (const localId of new Set(changes.updatedLocalIds)) views.messageUpdated(localId);
      for (const { chatId, id } of changes.removed) views.messageRemoved(chatId, id);
      for (const chatId of changes.chatIds) views.chatUpdated(chatId);
      for (const { chatId, userId } of changes.typing) views.typing(chatId, userId);
      if (changes.expiryChanged) expiry.noteCountdowns(changes.updatedLocalIds);
      if (changes.removed.length > 0) expiry.afterRemoval();
      if (changes.receiptsQueued) outbox.kick();
      if (changes.senderKeys) groups.retryHeld();
      if (changes.groupLines) groups.emitLines(changes.groupLines);
    },
    onSenderKey: (senderId, plaintext) => groups.applyDistribution(senderId, plaintext),
    onGroupRead: (readerId, plaintext) => groups.applyRead(readerId, plaintext),
    onPreKeysUsed: () => {
      // A peer's first message used one of our one-time prekeys: check the stock.
      const account = session.current();
      if (account && relay.isOnline()) void preKeys.maintainQuietly(relay, account);
    },
  });
  relay.onChange((view) => events.emit('connection.changed', view));
  const preKeyCheck = setInterval(() => {
    const account = session.current();
    if (account && relay.isOnline()) void preKeys.maintainQuietly(relay, account);
  }, tuning.preKeyCheckIntervalMs ?? PREKEY_CHECK_INTERVAL_MS);
  preKeyCheck.unref();

  const expiry = new ExpiryScheduler(store, logger, (removed) => {
    const chats = new Set<string>();
    for (const { chatId, id } of removed) {
      views.messageRemoved(chatId, id);
      chats.add(chatId);
    }
    for (const chatId of chats) views.chatUpdated(chatId);
  });
  expiry.addSource(groups.expirySource());
  // Applies whatever expired while the app was closed, before anything is shown.
  expiry.start();
  const typing = new TypingSender(store, relay, logger);
  const ctx: CoreContext = {
    store,
    session,
    relay,
    directory,
    outbox,
    channels,
    groups,
    views,
    events,
    logger,
    expiry,
    typing,
  };
  const handlers = createHandlers(ctx);
  if (session.current()) relay.start();

  let closing: Promise<void> | null = null;
  return {
    handlers,
    onEvent: (listener) => events.on(listener),
    close() {
      closing ??= (async () => {
        // Stop producing work first, then wait for work in flight, then release resources.
        // Everything already committed is in the database; unacknowledged envelopes are
        // redelivered by the relay, unsent outbox rows go out on the next start.
        // Closing the connection first fails any request in flight at once, so the
        // services' stop() does not wait out a request timeout.
        expiry.stop();
        clearInterval(preKeyCheck);
        channels.stop();
        groups.stop();
        const servicesStopped = Promise.allSettled([incoming.stop(), outbox.stop(), keyCheck.stop()]);
        await relay.stop();
        await servicesStopped;
        try {
          store.close();
        } catch (err) {
          logger.error('closing the database failed', { error: describeError(err) });
        }
        lock.release();
      })();
      return closing;
    },
  };
}

function assertRelayUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`relay URL ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new Error(`relay URL must start with ws:// or wss://, got ${parsed.protocol}`);
  }
}
