import type { ChannelPostView, ChannelView } from '../../../shared/ipc';
import type { SliceCreator } from './appStore';

export interface ChannelPosts {
  /** Oldest first, by seq. */
  items: readonly ChannelPostView[];
  hasMore: boolean;
  loaded: boolean;
}

export interface ChannelsSlice {
  channels: {
    byId: Readonly<Record<string, ChannelView>>;
    loaded: boolean;
    posts: Readonly<Record<string, ChannelPosts>>;
    /** The channel open in the right-hand pane (when no chat is). */
    selectedId: string | null;
  };
  replaceChannels(channels: readonly ChannelView[]): void;
  upsertChannel(channel: ChannelView): void;
  removeChannel(channelId: string): void;
  /** Merges posts (newer revisions win) and, when given, sets hasMore. */
  addChannelPosts(channelId: string, posts: readonly ChannelPostView[], hasMore?: boolean): void;
  removeChannelPost(channelId: string, postId: string): void;
  setPostViews(channelId: string, views: readonly { seq: number; views: number }[]): void;
  selectChannel(channelId: string | null): void;
}

const EMPTY: ChannelPosts = { items: [], hasMore: true, loaded: false };

export const createChannelsSlice: SliceCreator<ChannelsSlice> = (set) => ({
  channels: { byId: {}, loaded: false, posts: {}, selectedId: null },
  replaceChannels: (list) =>
    set((state) => ({
      channels: { ...state.channels, byId: Object.fromEntries(list.map((c) => [c.id, c])), loaded: true },
    })),
  upsertChannel: (channel) =>
    set((state) => ({ channels: { ...state.channels, byId: { ...state.channels.byId, [channel.id]: channel } } })),
  removeChannel: (channelId) =>
    set((state) => {
      const { [channelId]: _gone, ...byId } = state.channels.byId;
      const { [channelId]: _posts, ...posts } = state.channels.posts;
      const selectedId = state.channels.selectedId === channelId ? null : state.channels.selectedId;
      return { channels: { ...state.channels, byId, posts, selectedId } };
    }),
  addChannelPosts: (channelId, incoming, hasMore) =>
    set((state) => {
      const current = state.channels.posts[channelId] ?? EMPTY;
      const bySeq = new Map(current.items.map((post) => [post.seq, post]));
      for (const post of incoming) {
        const old = bySeq.get(post.seq);
        if (!old || (post.editedAt ?? 0) >= (old.editedAt ?? 0))
          bySeq.set(post.seq, { ...post, views: Math.max(post.views, old?.views ?? 0) });
      }
      const items = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
      const next: ChannelPosts = {
        items,
        hasMore: hasMore ?? current.hasMore,
        loaded: current.loaded || hasMore !== undefined,
      };
      return { channels: { ...state.channels, posts: { ...state.channels.posts, [channelId]: next } } };
    }),
  removeChannelPost: (channelId, postId) =>
    set((state) => {
      const current = state.channels.posts[channelId];
      if (!current) return state;
      const items = current.items.filter((post) => post.id !== postId);
      return {
        channels: { ...state.channels, posts: { ...state.channels.posts, [channelId]: { ...current, items } } },
      };
    }),
  setPostViews: (channelId, views) =>
    set((state) => {
      const current = state.channels.posts[channelId];
      if (!current || views.length === 0) return state;
      const counts = new Map(views.map((v) => [v.seq, v.views]));
      let changed = false;
      const items = current.items.map((post) => {
        const count = counts.get(post.seq);
        if (count === undefined || count === post.views) return post;
        changed = true;
        return { ...post, views: count };
      });
      // Unchanged counts leave the state alone (the pane refreshes them on a timer).
      if (!changed) return state;
      return {
        channels: { ...state.channels, posts: { ...state.channels.posts, [channelId]: { ...current, items } } },
      };
    }),
  selectChannel: (channelId) =>
    set((state) => ({
      channels: { ...state.channels, selectedId: channelId },
      // A channel and a chat are never open at once.
      ui: channelId ? { ...state.ui, selectedChatId: null } : state.ui,
    })),
});
