import type { ChannelView, ChatView } from '../../../../shared/ipc';

export type ListRow = { chat: ChatView; channel?: undefined } | { chat?: undefined; channel: ChannelView };

/** Chats (already in their order) and channels in one list, newest activity first. */
export function mergeWithChannels(
  chats: readonly ChatView[],
  channels: Readonly<Record<string, ChannelView>>,
): ListRow[] {
  const channelRows = Object.values(channels).sort((a, b) => b.updatedAt - a.updatedAt);
  const rows: ListRow[] = [];
  let c = 0;
  for (const chat of chats) {
    const at = chat.lastMessage?.sentAt ?? chat.updatedAt;
    while (c < channelRows.length && channelRows[c]!.updatedAt > at) rows.push({ channel: channelRows[c++]! });
    rows.push({ chat });
  }
  while (c < channelRows.length) rows.push({ channel: channelRows[c++]! });
  return rows;
}
