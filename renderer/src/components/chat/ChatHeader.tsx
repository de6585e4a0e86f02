import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { Avatar } from '../common/Avatar';
import { LockIcon } from '../icons/LockIcon';

export function ChatHeader({ chat, headingId }: { chat: ChatView; headingId: string }) {
  const { t } = useTranslation();
  const { peer } = chat;
  return (
    <header className="chat-header">
      <Avatar userId={peer.userId} displayName={peer.displayName} username={peer.username} size="small" />
      <div className="chat-header__titles">
        <h2 id={headingId} className="chat-header__name">
          <bdi>{peer.displayName}</bdi>
        </h2>
        <p className="chat-header__username">
          <bdi>@{peer.username}</bdi>
        </p>
      </div>
      {chat.encrypted && (
        <p className="e2e-badge">
          <LockIcon className="e2e-badge__icon" />
          {t('chat.encrypted')}
        </p>
      )}
    </header>
  );
}
