import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';

/** Choose the chat to forward a message to. */
export function ForwardDialog({ message, onClose }: { message: MessageView; onClose(): void }) {
  const { t } = useTranslation();
  const { forward, selectChat } = useActions();
  const titleId = useId();
  const chatsById = useAppStore((s) => s.chats.byId);
  const chats = Object.values(chatsById).sort((a, b) => b.updatedAt - a.updatedAt);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (toChatId: string) => {
    setBusy(true);
    const result = await forward(message.chatId, message.id, toChatId);
    setBusy(false);
    if (!result.ok) return setError(t('lifecycle.forwardFailed', { reason: t(errorMessageKey(result.code)) }));
    onClose();
    selectChat(toChatId);
  };

  return (
    <Modal labelledBy={titleId} onClose={() => !busy && onClose()} className="modal--narrow">
      <h2 id={titleId} className="modal__title modal__title--spaced">
        {t('lifecycle.forwardTitle')}
      </h2>
      {chats.length === 0 && <p className="modal__body">{t('lifecycle.forwardNoChats')}</p>}
      <ul className="forward-list">
        {chats.map((chat) => (
          <li key={chat.id}>
            <button
              type="button"
              className="forward-list__item"
              disabled={busy}
              aria-label={t('lifecycle.forwardTo', { name: chat.peer.displayName })}
              onClick={() => void send(chat.id)}
            >
              <bdi>{chat.peer.displayName}</bdi>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="modal__error">
          {error}
        </p>
      )}
      <div className="modal__actions">
        <button type="button" className="button button--secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </Modal>
  );
}
