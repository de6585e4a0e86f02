/**
 * A relay for tests and benchmarks: random loopback port, silent logs, in-memory SQLite
 * unless a storage is given. Framework-agnostic: callers close it themselves.
 */
import { silentLogger } from '../log/logger';
import { startRelay, type Relay, type RelayOptions } from '../relay';
import { openSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/storage';

export interface TestRelay {
  readonly relay: Relay;
  readonly url: string;
  readonly storage: Storage;
  /** Closes the relay, then the storage if this fixture opened it. */
  close(): Promise<void>;
}

export async function startTestRelay(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const ownsStorage = options.storage === undefined;
  const storage = options.storage ?? openSqliteStorage(':memory:');
  try {
    const relay = await startRelay({ logger: silentLogger, port: 0, ...options, storage });
    return {
      relay,
      url: relay.url,
      storage,
      async close() {
        await relay.close();
        if (ownsStorage) await storage.close();
      },
    };
  } catch (error) {
    if (ownsStorage) await storage.close();
    throw error;
  }
}
