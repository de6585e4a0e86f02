import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { useActions, useAppStore } from '../../app/AppContext';
import { TIMER_LABEL_KEYS } from '../../format/lifecycle';
import { useNow } from '../../hooks/useNow';
import { Avatar } from '../common/Avatar';
import { LockIcon } from '../icons/LockIcon';
import { VerifiedBadge } from '../security/VerifiedBadge';

/**
 * Who the chat is with. In an end-to-end encrypted chat the "End-to-end encrypted" chip is
 * a button: it opens "Verify safety number". A verified contact has a badge by the name.
 */
export function ChatHeader({ chat, headingId }: { chat: ChatView; headingId: string }) {
  const { t } = useTranslation();
  const { openSafetyNumber, setTimer, setReadReceipts } = useActions();
  const { peer } = chat;
  const typingUntil = useAppStore((s) => s.ui.typingUntil[chat.id]);
  const now = useNow(1_000, typingUntil !== undefined);
  const typing = typingUntil !== undefined && typingUntil > now;
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
        <p className="chat-header__username" aria-live="polite">
          {typing ? <span className="chat-header__typing">{t('lifecycle.typing')}</span> : <bdi>@{peer.username}</bdi>}
        </p>
      </div>
      <label className="chat-header__timer">
        <span aria-hidden="true">⏱</span>
        <select
          aria-label={t('lifecycle.timerLabel')}
          value={chat.timer}
          onChange={(event) => void setTimer(chat.id, Number(event.target.value))}
        >
          {TIMER_LABEL_KEYS.map(([seconds, key]) => (
            <option key={seconds} value={seconds}>
              {t(key)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="chat-header__receipts"
        aria-pressed={chat.readReceipts}
        aria-label={t('lifecycle.readReceipts')}
        title={chat.readReceipts ? t('lifecycle.readReceiptsOn') : t('lifecycle.readReceiptsOff')}
        onClick={() => void setReadReceipts(chat.id, !chat.readReceipts)}
      >
        ✓✓
      </button>
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
