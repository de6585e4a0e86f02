import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelView } from '../../../../shared/ipc';
import { previewText } from '../../format/preview';
import { formatChatListTime } from '../../format/time';
import { ChannelAvatar } from './ChannelAvatar';

interface ChannelListItemProps {
  channel: ChannelView;
  selected: boolean;
  now: number;
  locale: string;
  onSelect(channelId: string): void;
}

/** A channel in the chat list: its picture, title, last post, unread badge (muted channels get a quiet badge). */
export const ChannelListItem = memo(function ChannelListItem({
  channel,
  selected,
  now,
  locale,
  onSelect,
}: ChannelListItemProps) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`chat-row channel-row${selected ? ' chat-row--selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(channel.id)}
    >
      <ChannelAvatar channelId={channel.id} title={channel.title} avatarKey={channel.avatarId} />
      <span className="chat-row__body">
        <span className="chat-row__line">
          <span className="chat-row__name">
            <span className="channel-row__kind">{t('channel.kindLabel')}</span> <bdi>{channel.title}</bdi>
          </span>
          {channel.updatedAt > 0 && (
            <time className="chat-row__time" dateTime={new Date(channel.updatedAt).toISOString()}>
              {formatChatListTime(channel.updatedAt, now, locale)}
            </time>
          )}
        </span>
        <span className="chat-row__line">
          <span className="chat-row__preview">
            {channel.lastPostText ? (
              <bdi>{previewText(channel.lastPostText)}</bdi>
            ) : (
              <span className="chat-row__placeholder">{t('channel.noPosts')}</span>
            )}
          </span>
          {channel.unread > 0 && (
            <span
              className={`chat-row__badge${channel.muted ? ' channel-row__badge--muted' : ''}`}
              aria-label={t('chatList.unread', { count: channel.unread })}
            >
              {channel.unread > 999 ? '999+' : channel.unread}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});
