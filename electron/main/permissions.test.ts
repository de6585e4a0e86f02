import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/logger';
import { denyAllPermissions, type PermissionSession } from './permissions';

describe('permissions', () => {
  it('denies every permission request and check the renderer could make', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as unknown as PermissionSession;
    denyAllPermissions(session, silentLogger);

    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      (handlers.request as (wc: null, p: string, cb: (granted: boolean) => void) => void)(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect((handlers.check as (wc: null, p: string) => boolean)(null, permission)).toBe(false);
    }
    expect((handlers.device as (d: object) => boolean)({ deviceType: 'usb' })).toBe(false);
  });
});
