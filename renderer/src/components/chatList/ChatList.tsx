import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, useAppStore } from '../../app/AppContext';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { useNow } from '../../hooks/useNow';
import { sortChats } from '../../store/selectors';
import { moveFocusInList } from '../common/listKeyboard';
import { ChannelListItem } from '../channel/ChannelListItem';
import { mergeWithChannels } from '../channel/mergeWithChannels';
import { GroupListItem } from '../group/GroupListItem';
import { mergeWithGroups } from '../group/mergeWithGroups';
import { ChatListItem } from './ChatListItem';
import './ChatList.css';

/** Refresh relative times (today's clock → weekday) about once a minute. */
const CLOCK_TICK_MS = 60_000;

/** Every conversation, most recent first. */
export function ChatList() {
  const { t } = useTranslation();
  const { selectChat, openChannel, openGroup } = useActions();
  const groupsById = useAppStore((s) => s.groups.byId);
  const selectedGroupId = useAppStore((s) =>
    s.ui.selectedChatId || s.channels.selectedId ? null : s.groups.selectedId,
  );
  const channelsById = useAppStore((s) => s.channels.byId);
  const selectedChannelId = useAppStore((s) => (s.ui.selectedChatId ? null : s.channels.selectedId));
  const byId = useAppStore((s) => s.chats.byId);
  const loaded = useAppStore((s) => s.chats.loaded);
  const selectedChatId = useAppStore((s) => s.ui.selectedChatId);
  const drafts = useAppStore((s) => s.ui.drafts);
  const chats = useMemo(() => sortChats(byId), [byId]);
  // Channels sit beside chats, ordered by their last activity.
  const rows = useMemo(
    () => mergeWithGroups(mergeWithChannels(chats, channelsById), groupsById),
    [chats, channelsById, groupsById],
  );
  const now = useNow(CLOCK_TICK_MS);
  const locale = useFormattingLocale();

  return (
    <nav className="chat-list" aria-label={t('chatList.label')}>
      {loaded && rows.length === 0 ? (
        <div className="chat-list__empty">
          <p className="chat-list__empty-title">{t('chatList.empty')}</p>
          <p>{t('chatList.emptyHint')}</p>
        </div>
      ) : (
        <ul className="chat-list__items" onKeyDown={moveFocusInList}>
          {rows.map((row) =>
            'group' in row ? (
              <li key={row.group.id}>
                <GroupListItem
                  group={row.group}
                  selected={row.group.id === selectedGroupId}
                  draft={row.group.id === selectedGroupId ? undefined : drafts[row.group.id]}
                  now={now}
                  locale={locale}
                  onSelect={openGroup}
                />
              </li>
            ) : row.channel ? (
              <li key={row.channel.id}>
                <ChannelListItem
                  channel={row.channel}
                  selected={row.channel.id === selectedChannelId}
                  now={now}
                  locale={locale}
                  onSelect={openChannel}
                />
              </li>
            ) : (
              <li key={row.chat.id}>
                <ChatListItem
                  chat={row.chat}
                  selected={row.chat.id === selectedChatId}
                  draft={row.chat.id === selectedChatId ? undefined : drafts[row.chat.id]}
                  now={now}
                  locale={locale}
                  onSelect={selectChat}
                />
              </li>
            ),
          )}
        </ul>
      )}
    </nav>
  );
}
