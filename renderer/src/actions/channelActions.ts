import type { ChannelPostView, ChannelSummaryView, ChannelView } from '../../../shared/ipc';
import type { IpcResult } from '../../../shared/ipc/result';
import { base64ToBytes, bytesToBase64 } from '../format/channelAvatar';
import { createChannelOwnerActions } from './channelOwnerActions';
import { reportBackgroundFailure, type ActionContext } from './types';

const PAGE = 30;
/** Channel pictures kept in memory (by channel and avatar id). */
const AVATARS_KEPT = 200;

export function createChannelActions(context: ActionContext) {
  const { bridge, store } = context;
  const avatars = new Map<string, Promise<Uint8Array | null>>();
  const loadNewestPosts = async (channelId: string): Promise<void> => {
    const result = await bridge.invoke('channels.history', { channelId, limit: PAGE });
    if (!result.ok) return reportBackgroundFailure('loading channel posts', result);
    store.getState().addChannelPosts(channelId, result.value.posts, result.value.hasMore);
  };

  return {
    ...createChannelOwnerActions(context),

    async loadChannels(): Promise<void> {
      const result = await bridge.invoke('channels.list', {});
      if (!result.ok) return reportBackgroundFailure('loading channels', result);
      store.getState().replaceChannels(result.value.channels);
    },

    /** Opens a subscribed channel in the pane (null closes it). */
    openChannel(channelId: string | null): void {
      const state = store.getState();
      state.selectChannel(channelId);
      if (channelId && !state.channels.posts[channelId]?.loaded) void loadNewestPosts(channelId);
    },

    /** The page of posts before the oldest one shown. */
    async loadOlderPosts(channelId: string): Promise<void> {
      const oldest = store.getState().channels.posts[channelId]?.items[0];
      const result = await bridge.invoke('channels.history', {
        channelId,
        limit: PAGE,
        ...(oldest ? { beforeSeq: oldest.seq } : {}),
      });
      if (!result.ok) return reportBackgroundFailure('loading older posts', result);
      store.getState().addChannelPosts(channelId, result.value.posts, result.value.hasMore);
    },

    async markChannelRead(channelId: string, seqs: number[]): Promise<void> {
      const result = await bridge.invoke('channels.markRead', { channelId, seqs: seqs.slice(-200) });
      if (result.ok) store.getState().upsertChannel(result.value);
    },

    async refreshChannelStats(channelId: string, seqs: number[]): Promise<void> {
      const result = await bridge.invoke('channels.stats', { channelId, seqs: seqs.slice(-200) });
      if (!result.ok) return;
      const state = store.getState();
      state.setPostViews(channelId, result.value.views);
      const channel = state.channels.byId[channelId];
      if (channel && channel.subscribers !== result.value.subscribers) {
        state.upsertChannel({ ...channel, subscribers: result.value.subscribers });
      }
    },

    /** A channel's picture (null: none, or it could not be loaded), fetched once per avatar id. */
    loadChannelAvatar(channelId: string, avatarKey: string): Promise<Uint8Array | null> {
      const key = `${channelId}:${avatarKey}`;
      let pending = avatars.get(key);
      if (!pending) {
        pending = bridge.invoke('channels.avatar', { channelId }).then((result) => {
          if (result.ok) return result.value.avatar === null ? null : base64ToBytes(result.value.avatar);
          avatars.delete(key); // try again next time (offline, say)
          return null;
        });
        avatars.set(key, pending);
        if (avatars.size > AVATARS_KEPT) avatars.delete(avatars.keys().next().value!);
      }
      return pending;
    },

    async createChannel(input: {
      title: string;
      description: string;
      isPublic: boolean;
      handle?: string;
      /** A picture made by makeChannelAvatar (square, under the size limit). */
      avatar?: Uint8Array;
    }): Promise<IpcResult<ChannelView>> {
      const { avatar, ...rest } = input;
      const result = await bridge.invoke('channels.create', {
        ...rest,
        ...(avatar ? { avatar: bytesToBase64(avatar) } : {}),
      });
      if (result.ok) {
        store.getState().upsertChannel(result.value);
        store.getState().addChannelPosts(result.value.id, [], false);
        store.getState().selectChannel(result.value.id);
      }
      return result;
    },

    async searchChannels(query: string): Promise<IpcResult<ChannelSummaryView[]>> {
      const result = await bridge.invoke('channels.search', { query });
      return result.ok ? { ok: true, value: result.value.channels } : result;
    },

    previewChannel(channelId: string): Promise<IpcResult<{ channel: ChannelView; posts: ChannelPostView[] }>> {
      return bridge.invoke('channels.preview', { channelId });
    },

    async subscribeChannel(channelId: string): Promise<IpcResult<ChannelView>> {
      const result = await bridge.invoke('channels.subscribe', { channelId });
      if (result.ok) {
        store.getState().upsertChannel(result.value);
        store.getState().selectChannel(result.value.id);
        void loadNewestPosts(result.value.id);
      }
      return result;
    },

    async joinChannelByLink(link: string): Promise<IpcResult<ChannelView>> {
      const result = await bridge.invoke('channels.joinByInvite', { link });
      if (result.ok) {
        store.getState().upsertChannel(result.value);
        store.getState().selectChannel(result.value.id);
        void loadNewestPosts(result.value.id);
      }
      return result;
    },

    async unsubscribeChannel(channelId: string): Promise<IpcResult<Record<string, never>>> {
      const result = await bridge.invoke('channels.unsubscribe', { channelId });
      if (result.ok) store.getState().removeChannel(channelId);
      return result;
    },

    async setChannelMuted(channelId: string, muted: boolean): Promise<void> {
      const result = await bridge.invoke('channels.setMuted', { channelId, muted });
      if (result.ok) store.getState().upsertChannel(result.value);
    },

    async postToChannel(channelId: string, text: string): Promise<IpcResult<ChannelPostView>> {
      const result = await bridge.invoke('channels.post', { channelId, text });
      if (result.ok) store.getState().addChannelPosts(channelId, [result.value]);
      return result;
    },

    async editChannelPost(channelId: string, postId: string, text: string): Promise<IpcResult<ChannelPostView>> {
      const result = await bridge.invoke('channels.editPost', { channelId, postId, text });
      if (result.ok) store.getState().addChannelPosts(channelId, [result.value]);
      return result;
    },

    async deleteChannelPost(channelId: string, postId: string): Promise<void> {
      const result = await bridge.invoke('channels.deletePost', { channelId, postId });
      if (result.ok) store.getState().removeChannelPost(channelId, postId);
      else reportBackgroundFailure('deleting a post', result);
    },

    async pinChannelPost(channelId: string, postId: string | null): Promise<void> {
      const result = await bridge.invoke('channels.pin', { channelId, postId });
      if (result.ok) store.getState().upsertChannel(result.value);
      else reportBackgroundFailure('pinning a post', result);
    },

    addChannelAdmin(channelId: string, username: string): Promise<IpcResult<ChannelView>> {
      return bridge.invoke('channels.addAdmin', { channelId, username });
    },

    createChannelInvite(channelId: string): Promise<IpcResult<{ link: string; token: string }>> {
      return bridge.invoke('channels.createInvite', { channelId });
    },

    revokeChannelInvite(channelId: string, token: string): Promise<IpcResult<Record<string, never>>> {
      return bridge.invoke('channels.revokeInvite', { channelId, token });
    },
  };
}
