import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView, GroupView } from '../../../../shared/ipc';
import { timerLabelKey, timerLine } from '../../format/lifecycle';
import { SentenceText } from '../common/WithNames';
import { systemText } from './systemText';
import { previewText } from '../../format/preview';
import { formatChatListTime } from '../../format/time';
import { Avatar } from '../common/Avatar';

interface GroupListItemProps {
  group: GroupView;
  selected: boolean;
  /** Unsent text in this group's composer, shown instead of the last message. */
  draft: string | undefined;
  now: number;
  locale: string;
  onSelect(groupId: string): void;
}

/** A group in the chat list: name, draft or last message with its sender, unread badge. */
export const GroupListItem = memo(function GroupListItem({
  group,
  selected,
  draft,
  now,
  locale,
  onSelect,
}: GroupListItemProps) {
  const { t } = useTranslation();
  const last = group.lastMessage;
  return (
    <button
      type="button"
      className={`chat-row group-row${selected ? ' chat-row--selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(group.id)}
    >
      <Avatar userId={group.id} displayName={group.name} />
      <span className="chat-row__body">
        <span className="chat-row__line">
          <span className="chat-row__name">
            <span className="channel-row__kind">{t('group.kindLabel')}</span> <bdi>{group.name}</bdi>
          </span>
          <time className="chat-row__time" dateTime={new Date(group.updatedAt).toISOString()}>
            {formatChatListTime(group.updatedAt, now, locale)}
          </time>
        </span>
        <span className="chat-row__line">
          <span className="chat-row__preview">
            {draft ? (
              <>
                <span className="chat-row__draft">{t('chatList.draft')}</span> <bdi>{previewText(draft)}</bdi>
              </>
            ) : last && !last.system ? (
              <>
                <bdi>{last.fromMe ? t('group.you') : last.senderName}</bdi>: <bdi>{previewText(last.text)}</bdi>
              </>
            ) : last?.line && last.line.kind !== 'text' ? (
              <span className="chat-row__placeholder">
                <LinePreview line={last.line} />
              </span>
            ) : (
              <span className="chat-row__placeholder">
                {group.status === 'active'
                  ? t('group.memberCount', { count: group.memberCount })
                  : t('group.notMember')}
              </span>
            )}
          </span>
          {group.unread > 0 && (
            <span className="chat-row__badge" aria-label={t('chatList.unread', { count: group.unread })}>
              {group.unread > 999 ? '999+' : group.unread}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});

/** A membership or timer line as the list shows it ("Alice added Bob", "You turned off …"). */
function LinePreview({ line }: { line: GroupMessageView }) {
  const { t } = useTranslation();
  if (line.kind === 'timer') {
    const seconds = line.expiresIn ?? 0;
    return <SentenceText sentence={timerLine(seconds, line.fromMe, line.senderName, t(timerLabelKey(seconds)))} />;
  }
  return <>{systemText(t, line)}</>;
}
