/** Channel events into the store (wired into the event router). */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';

export function channelEventSubscriptions(bridge: ParleyBridge, store: AppStore): (() => void)[] {
  const state = () => store.getState();
  return [
    bridge.on('channel.updated', (channel) => state().upsertChannel(channel)),
    bridge.on('channel.post', (post) => {
      // Only channels whose posts are loaded keep a copy; others load when opened.
      if (state().channels.posts[post.channelId]?.loaded) state().addChannelPosts(post.channelId, [post]);
    }),
    bridge.on('channel.removed', ({ channelId, postId }) => {
      if (postId) state().removeChannelPost(channelId, postId);
      else state().removeChannel(channelId);
    }),
  ];
}
