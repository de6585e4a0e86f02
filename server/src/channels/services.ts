/** What every connection of one relay shares for channels. */
import { ChannelHub } from './hub';
import { ViewCounter } from './views';

export interface ChannelOptions {
  /**
   * Bytes already buffered for a socket above which live channel pushes to it are skipped
   * (it catches up by sequence instead). Default 1 MiB.
   */
  readonly bufferCap?: number;
  /** How often aggregated view counts are written. Default 5 s. */
  readonly viewFlushMs?: number;
}

export const DEFAULT_CHANNEL_BUFFER_CAP = 1024 * 1024;
export const DEFAULT_VIEW_FLUSH_MS = 5_000;

export interface ChannelServices {
  readonly hub: ChannelHub;
  readonly views: ViewCounter;
  readonly viewFlushMs: number;
}

export function createChannelServices(options: ChannelOptions = {}): ChannelServices {
  return {
    hub: new ChannelHub(options.bufferCap ?? DEFAULT_CHANNEL_BUFFER_CAP),
    views: new ViewCounter(),
    viewFlushMs: options.viewFlushMs ?? DEFAULT_VIEW_FLUSH_MS,
  };
}
