/**
 * The Electron side of the IPC contract: one invoke handler for every request, and core
 * events forwarded to the window. Calls are accepted only from the top frame of our own
 * window showing our own origin (app://parley); anything else (a subframe, another window,
 * a page that navigated elsewhere, a frame that is gone) gets `forbidden_sender` and never
 * reaches the core. Input validation, output checking and error mapping are `dispatch`'s job,
 * the same code host mode runs.
 */
import { checkOutboundEvent } from '../../shared/config/outboundEvents';
import { dispatch } from '../../shared/ipc/dispatch';
import { IPC_CHANNELS } from '../../shared/ipc/names';
import { fail, type IpcResult } from '../../shared/ipc/result';
import type { Core, Logger } from '../core/api';
import { describeError } from '../core/logger';
import { isAppUrl } from './appOrigin';

/** What we read of a WebFrameMain. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/** What we read of an IpcMainInvokeEvent. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

/** The slice of ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The slice of a window's webContents used here. */
export interface WindowContentsLike {
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface IpcBridgeOptions {
  ipcMain: IpcMainLike;
  core: Pick<Core, 'handlers' | 'onEvent'>;
  /** The main window's webContents, or null while there is none (macOS, window closed). */
  currentContents(): WindowContentsLike | null;
  logger: Logger;
}

/**
 * True only for the top frame of `contents`, showing our origin. Frames are compared by
 * (processId, routingId): Electron may hand out distinct WebFrameMain objects for one frame.
 */
export function isTrustedSender(frame: FrameLike | null, contents: WindowContentsLike | null): boolean {
  if (!frame || !contents || contents.isDestroyed()) return false;
  const top = contents.mainFrame;
  return (
    frame.parent === null &&
    frame.processId === top.processId &&
    frame.routingId === top.routingId &&
    isAppUrl(frame.url)
  );
}

/** Registers the invoke handler and the event forwarding; returns the function that undoes both. */
export function registerIpcBridge({ ipcMain, core, currentContents, logger }: IpcBridgeOptions): () => void {
  const onInternalError = (name: string, err: unknown) =>
    logger.error('request failed in the core', { request: name, error: describeError(err) });

  ipcMain.handle(IPC_CHANNELS.invoke, async (event, name, input): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event.senderFrame, currentContents())) {
      logger.warn('refused an IPC call from an unexpected frame', { request: String(name).slice(0, 64) });
      return fail('forbidden_sender', 'this frame may not call Parley');
    }
    return dispatch(core.handlers, name, input, onInternalError);
  });

  const unsubscribe = core.onEvent((name, payload) => {
    const checked = checkOutboundEvent(name, payload);
    if (!checked.ok) {
      logger.error('dropped an event that breaks the contract', { reason: checked.reason });
      return;
    }
    const contents = currentContents();
    if (contents && !contents.isDestroyed()) contents.send(IPC_CHANNELS.event, checked.envelope);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
  };
}
