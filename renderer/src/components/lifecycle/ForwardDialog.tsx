import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationRef } from '../../actions/forwardRoute';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Avatar } from '../common/Avatar';
import { Modal } from '../common/Modal';
import { forwardTargets } from './forwardTargets';

/** Choose the chat or group to forward a message (from a chat or a group) to. */
export function ForwardDialog({
  from,
  messageId,
  onClose,
}: {
  from: ConversationRef;
  messageId: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { forwardMessage, selectChat, openGroup } = useActions();
  const titleId = useId();
  const chatsById = useAppStore((s) => s.chats.byId);
  const groupsById = useAppStore((s) => s.groups.byId);
  const targets = useMemo(() => forwardTargets(chatsById, groupsById), [chatsById, groupsById]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (to: ConversationRef) => {
    setBusy(true);
    const result = await forwardMessage(from, messageId, to);
    setBusy(false);
    if (!result.ok) return setError(t('lifecycle.forwardFailed', { reason: t(errorMessageKey(result.code)) }));
    onClose();
    if (to.chatId !== undefined) selectChat(to.chatId);
    else openGroup(to.groupId);
  };

  return (
    <Modal labelledBy={titleId} onClose={() => !busy && onClose()} className="modal--narrow">
      <h2 id={titleId} className="modal__title modal__title--spaced">
        {t('lifecycle.forwardTitle')}
      </h2>
      {targets.length === 0 && <p className="modal__body">{t('lifecycle.forwardNoChats')}</p>}
      <ul className="forward-list">
        {targets.map((target) => (
          <li key={target.key}>
            <button
              type="button"
              className="forward-list__item"
              disabled={busy}
              aria-label={t('lifecycle.forwardTo', { name: target.name })}
              onClick={() => void send(target.ref)}
            >
              <Avatar userId={target.avatarId} displayName={target.name} size="small" />
              <span className="forward-list__name">
                <bdi>{target.name}</bdi>
              </span>
              {target.ref.groupId !== undefined && (
                <span className="forward-list__kind">{t('group.memberCount', { count: target.memberCount })}</span>
              )}
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
