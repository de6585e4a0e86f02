/**
 * Integration harness: a real relay (SQLite file storage, restartable on the same port) and
 * real cores in temporary profile directories, plus event-driven waiting helpers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch, type EventName, type EventPayload, type MessageView, type RequestName } from '../../../shared/ipc';
import type { RequestInput, RequestOutput } from '../../../shared/ipc';
// eslint-disable-next-line no-restricted-imports -- integration tests start a real relay
import { startRelay, type Relay, type RelayOptions } from '../../../server/src/relay';
// eslint-disable-next-line no-restricted-imports -- integration tests start a real relay
import { openSqliteStorage } from '../../../server/src/storage/sqlite';
// eslint-disable-next-line no-restricted-imports -- integration tests start a real relay
import { silentLogger as silentRelayLogger } from '../../../server/src/log/logger';
import type { Core } from '../api';
import { openCore, type CoreTuning } from '../core';
import type { Store } from '../db/store';
import { silentLogger } from '../logger';
import { waitFor } from '../testing/waitFor';

export { waitFor };

/** Short reconnect delays keep relay-restart tests quick; the default policy is unit-tested. */
const TEST_TUNING = {
  reconnectBackoff: { baseMs: 50, capMs: 1_000 },
  outboxRetryBackoff: { baseMs: 50, capMs: 1_000 },
};

export class TestRelay {
  private relay: Relay | null = null;
  private storage: ReturnType<typeof openSqliteStorage> | null = null;
  private port = 0;
  /** Who may take one-time prekeys; default the relay's. Takes effect at the next start. */
  preKeyBudget: RelayOptions['preKeyBudget'];

  constructor(readonly dbFile: string) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}/v1/ws`;
  }

  /** Starts (or restarts, on the same port and database file) the relay. */
  async start(): Promise<void> {
    this.storage = openSqliteStorage(this.dbFile);
    this.relay = await startRelay({
      port: this.port,
      storage: this.storage,
      logger: silentRelayLogger,
      ...(this.preKeyBudget ? { preKeyBudget: this.preKeyBudget } : {}),
    });
    this.port = this.relay.port;
  }

  async stop(): Promise<void> {
    await this.relay?.close();
    await this.storage?.close();
    this.relay = null;
    this.storage = null;
  }

  /** How many one-time prekeys the relay holds for a user (an empty upload reports the stock). */
  async oneTimePreKeyCount(userId: string): Promise<number> {
    const storage = this.storage!;
    const user = await storage.findUserById(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const result = await storage.storePreKeys({
      userId,
      identityKey: user.identityKey,
      oneTimePreKeys: [],
      maxOneTimePreKeys: 1_000,
    });
    if (result.status !== 'stored') throw new Error(`cannot read the prekey stock: ${result.status}`);
    return result.oneTimeCount;
  }

  /** Runs the relay's purge sweep now (expired self-destructing envelopes, WAL checkpoint). */
  async sweep(now = Date.now()): Promise<number> {
    return this.storage!.purgeExpiredEnvelopes(now);
  }

  /** Every byte the relay has on disk (database, WAL, shared memory). */
  filesOnDisk(): Buffer {
    const files = [this.dbFile, `${this.dbFile}-wal`, `${this.dbFile}-shm`].filter((f) => fs.existsSync(f));
    return Buffer.concat(files.map((f) => fs.readFileSync(f)));
  }
}

export interface TestClient {
  readonly name: string;
  readonly profileDir: string;
  core: Core;
  /** The open core's store (read-only use in tests: what this device holds). */
  store: Store;
  /** Every event since this client (re)opened. */
  events: Array<{ name: EventName; payload: unknown }>;
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** Resolves with the first event (already seen or future) matching the predicate. */
  event<N extends EventName>(name: N, match?: (payload: EventPayload<N>) => boolean): Promise<EventPayload<N>>;
  close(): Promise<void>;
  reopen(relayUrl?: string): Promise<void>;
}

export class Harness {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-integration-'));
  readonly relay = new TestRelay(path.join(this.root, 'relay.sqlite'));
  private readonly clients: TestClient[] = [];

  async client(name: string, relayUrl = this.relay.url, tuning: CoreTuning = {}): Promise<TestClient> {
    const profileDir = path.join(this.root, name);
    let listeners: Array<() => void> = [];
    const client: TestClient = {
      name,
      profileDir,
      core: undefined as unknown as Core,
      store: undefined as unknown as Store,
      events: [],
      async call(requestName, input) {
        const result = await dispatch(client.core.handlers, requestName, input);
        if (!result.ok) throw new Error(`${name}: ${requestName} failed: ${result.code}: ${result.message}`);
        return result.value as never;
      },
      event(eventName, match = () => true) {
        return waitFor(
          () =>
            client.events.find((e) => e.name === eventName && match(e.payload as EventPayload<typeof eventName>))
              ?.payload as EventPayload<typeof eventName> | undefined,
          `${name} to see ${eventName}`,
        );
      },
      async close() {
        for (const stop of listeners) stop();
        listeners = [];
        await client.core.close();
      },
      async reopen(url = relayUrl) {
        client.events = [];
        client.core = await openCore(
          { profileDir, relayUrl: url, logger: silentLogger },
          {
            ...TEST_TUNING,
            ...tuning,
            inspectStore: (store) => {
              client.store = store;
            },
          },
        );
        listeners.push(client.core.onEvent((eventName, payload) => client.events.push({ name: eventName, payload })));
      },
    };
    await client.reopen();
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.core.close()));
    await this.relay.stop();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Signs a client up and waits until its connection is online. */
export async function signUp(client: TestClient, username: string, displayName: string) {
  const profile = await client.call('session.signUp', { username, displayName });
  await waitFor(
    async () => (await client.call('connection.status', {})).state === 'online',
    `${client.name} to come online`,
  );
  return profile;
}

export async function history(client: TestClient, chatId: string): Promise<MessageView[]> {
  return (await client.call('messages.history', { chatId, limit: 200 })).messages;
}
