/**
 * The owner's changes to a channel after creating it: its picture and its admins. The core
 * checks the picture again and signs an admin's removal with the channel's key.
 */
import type { ChannelAdminView, ChannelView } from '../../../shared/ipc';
import type { IpcResult } from '../../../shared/ipc/result';
import { bytesToBase64 } from '../format/channelAvatar';
import type { ActionContext } from './types';

export function createChannelOwnerActions({ bridge, store }: ActionContext) {
  const keep = (result: IpcResult<ChannelView>): IpcResult<ChannelView> => {
    if (result.ok) store.getState().upsertChannel(result.value);
    return result;
  };

  return {
    /** A new picture made by makeChannelAvatar, or null to remove it. */
    async setChannelAvatar(channelId: string, avatar: Uint8Array | null): Promise<IpcResult<ChannelView>> {
      const base64 = avatar ? bytesToBase64(avatar) : null;
      return keep(await bridge.invoke('channels.setAvatar', { channelId, avatar: base64 }));
    },

    async listChannelAdmins(channelId: string): Promise<IpcResult<ChannelAdminView[]>> {
      const result = await bridge.invoke('channels.admins', { channelId });
      return result.ok ? { ok: true, value: result.value.admins } : result;
    },

    async removeChannelAdmin(channelId: string, userId: string): Promise<IpcResult<ChannelView>> {
      return keep(await bridge.invoke('channels.removeAdmin', { channelId, userId }));
    },
  };
}
