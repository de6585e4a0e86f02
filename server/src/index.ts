/** The relay as a library: start it, give it storage, and (optionally) a bus and logger. */
export { startRelay, SENT_RECORD_RETENTION_MS, type Relay, type RelayOptions } from './relay';
export { openSqliteStorage } from './storage/sqlite';
export type {
  Account,
  CreateAccountResult,
  EnqueueResult,
  NewAccount,
  NewEnvelope,
  QueuedEnvelope,
  Storage,
} from './storage/storage';
export { deviceTopic, type Bus, type BusHandler, type BusMessage, type BusSubscription } from './bus/bus';
export { createMemoryBus, type MemoryBusOptions } from './bus/memory';
export { resolveLimits, type RelayLimits } from './config/limits';
export {
  createJsonLogger,
  silentLogger,
  type JsonLoggerOptions,
  type LogFields,
  type LogLevel,
  type Logger,
} from './log/logger';
export { main as runRelayCli, URL_LINE_PREFIX, type CliIo, type CliResult } from './cli/main';
