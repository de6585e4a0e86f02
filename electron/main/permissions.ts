/**
 * The renderer needs no browser permission (camera, microphone, notifications, geolocation,
 * clipboard reads, HID/USB/serial…): notifications go through the main process. Deny every
 * request and every check, so a compromised page cannot even probe what it could get.
 */
import type { Session } from 'electron';
import type { Logger } from '../core/api';

export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

export function denyAllPermissions(session: PermissionSession, logger: Logger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    logger.warn('denied a permission request from the renderer', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
