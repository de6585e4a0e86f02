import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { messagePreview, previewText, type MessagePreview } from '../../format/preview';
import { formatChatListTime } from '../../format/time';
import { Avatar } from '../common/Avatar';
import { StatusIcon } from '../icons/StatusIcon';

interface ChatListItemProps {
  chat: ChatView;
  selected: boolean;
  /** Unsent text in this chat's composer, shown instead of the last message. */
  draft: string | undefined;
  now: number;
  locale: string;
  onSelect(chatId: string): void;
}

/**
 * One row: avatar, name, time, last-message preview, unread badge, and the tick of our
 * last message. Its accessible name starts with the peer's name (the avatar is decorative).
 */
export const ChatListItem = memo(function ChatListItem({
  chat,
  selected,
  draft,
  now,
  locale,
  onSelect,
}: ChatListItemProps) {
  const { t } = useTranslation();
  const last = chat.lastMessage;
  const preview: MessagePreview | null = last ? messagePreview(last) : null;
  const at = last?.sentAt ?? chat.updatedAt;
  return (
    <button
      type="button"
      className={`chat-row${selected ? ' chat-row--selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(chat.id)}
    >
      <Avatar userId={chat.peer.userId} displayName={chat.peer.displayName} username={chat.peer.username} />
      <span className="chat-row__body">
        <span className="chat-row__line">
          <span className="chat-row__name">
            <bdi>{chat.peer.displayName}</bdi>
          </span>
          {last?.fromMe && last.status && !draft && <StatusIcon status={last.status} className="chat-row__status" />}
          <time className="chat-row__time" dateTime={new Date(at).toISOString()}>
            {formatChatListTime(at, now, locale)}
          </time>
        </span>
        <span className="chat-row__line">
          <span className="chat-row__preview">
            {draft ? (
              <>
                <span className="chat-row__draft">{t('chatList.draft')}</span> <bdi>{previewText(draft)}</bdi>
              </>
            ) : preview?.kind === 'text' ? (
              <bdi>{preview.text}</bdi>
            ) : preview?.kind === 'system' ? (
              <span className="chat-row__service">{t(preview.key, { name: chat.peer.displayName })}</span>
            ) : (
              <span className="chat-row__placeholder">{t('chatList.noMessages')}</span>
            )}
          </span>
          {chat.unread > 0 && (
            <span className="chat-row__badge" aria-label={t('chatList.unread', { count: chat.unread })}>
              {chat.unread > 999 ? '999+' : chat.unread}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});
