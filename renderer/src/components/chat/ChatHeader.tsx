import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { useActions } from '../../app/AppContext';
import { Avatar } from '../common/Avatar';
import { LockIcon } from '../icons/LockIcon';
import { VerifiedBadge } from '../security/VerifiedBadge';

/**
 * Who the chat is with. In an end-to-end encrypted chat the "End-to-end encrypted" chip is
 * a button: it opens "Verify safety number". A verified contact has a badge by the name.
 */
export function ChatHeader({ chat, headingId }: { chat: ChatView; headingId: string }) {
  const { t } = useTranslation();
  const { openSafetyNumber } = useActions();
  const { peer } = chat;
  return (
    <header className="chat-header">
      <Avatar userId={peer.userId} displayName={peer.displayName} username={peer.username} size="small" />
      <div className="chat-header__titles">
        <div className="chat-header__name-line">
          <h2 id={headingId} className="chat-header__name">
            <bdi>{peer.displayName}</bdi>
          </h2>
          {chat.encrypted && chat.security.verified && <VerifiedBadge />}
        </div>
        <p className="chat-header__username">
          <bdi>@{peer.username}</bdi>
        </p>
      </div>
      {chat.encrypted && (
        <button
          type="button"
          className="e2e-badge"
          aria-haspopup="dialog"
          title={t('security.verifyTitle')}
          onClick={() => openSafetyNumber(chat.id)}
        >
          <LockIcon className="e2e-badge__icon" />
          {t('chat.encrypted')}
          <span className="visually-hidden">{t('security.verifyHint')}</span>
        </button>
      )}
    </header>
  );
}
