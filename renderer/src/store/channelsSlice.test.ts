import { describe, expect, it } from 'vitest';
import type { ChannelPostView, ChannelView } from '../../../shared/ipc';
import { mergeWithChannels } from '../components/channel/mergeWithChannels';
import { directChat } from '../test-support/fakeBridge';
import { createAppStore } from './appStore';

const channel = (id: string, updatedAt: number): ChannelView => ({
  id,
  kind: 'channel',
  title: id,
  description: '',
  handle: id,
  isPublic: true,
  role: 'subscriber',
  canPost: false,
  subscribers: 1,
  subscribed: true,
  muted: false,
  unread: 0,
  pinnedPostId: null,
  updatedAt,
  encrypted: false,
});
const post = (seq: number, text: string, editedAt?: number): ChannelPostView => ({
  id: `p${seq}`,
  channelId: 'c',
  seq,
  text,
  postedAt: seq,
  views: 0,
  verified: true,
  ...(editedAt !== undefined ? { editedAt } : {}),
});

describe('channels state', () => {
  it('keeps posts in seq order, newer revisions winning, and pages older ones in', () => {
    const store = createAppStore();
    store.getState().addChannelPosts('c', [post(5, 'five'), post(6, 'six')], true);
    store.getState().addChannelPosts('c', [post(6, 'six, edited', 10)]);
    store.getState().addChannelPosts('c', [post(3, 'three'), post(4, 'four')], false);
    const posts = store.getState().channels.posts.c!;
    expect(posts.items.map((p) => p.text)).toEqual(['three', 'four', 'five', 'six, edited']);
    expect(posts.hasMore).toBe(false);
    store.getState().removeChannelPost('c', 'p4');
    store.getState().setPostViews('c', [{ seq: 5, views: 7 }]);
    expect(store.getState().channels.posts.c!.items.map((p) => [p.seq, p.views])).toEqual([
      [3, 0],
      [5, 7],
      [6, 0],
    ]);
  });

  it('opening a channel closes the open chat', () => {
    const store = createAppStore();
    store.getState().setSelectedChat('dm:bob');
    store.getState().selectChannel('c_x');
    expect(store.getState().ui.selectedChatId).toBeNull();
    expect(store.getState().channels.selectedId).toBe('c_x');
  });

  it('lists channels beside chats by last activity', () => {
    const chats = [directChat({ id: 'dm:bob', updatedAt: 300 }), directChat({ id: 'dm:carol', updatedAt: 100 })];
    const rows = mergeWithChannels(chats, { a: channel('a', 200), b: channel('b', 50) });
    expect(rows.map((row) => row.chat?.id ?? row.channel?.id)).toEqual([chats[0]!.id, 'a', chats[1]!.id, 'b']);
  });
});
