import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';

/** Delete for me, or (own messages) for everyone. Cancel is focused first. */
export function DeleteMessageDialog({
  message,
  peerName,
  onClose,
}: {
  message: MessageView;
  peerName: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { deleteMessage } = useActions();
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canDeleteForEveryone = message.fromMe && message.kind === 'text';

  const remove = async (forEveryone: boolean) => {
    setBusy(true);
    const result = await deleteMessage(message.chatId, message.id, forEveryone);
    setBusy(false);
    if (result.ok) onClose();
    else setError(t('lifecycle.deleteFailed', { reason: t(errorMessageKey(result.code)) }));
  };

  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={bodyId}
      onClose={() => !busy && onClose()}
      initialFocus={cancelRef}
      className="modal--narrow"
    >
      <h2 id={titleId} className="modal__title modal__title--spaced">
        {t('lifecycle.deleteTitle')}
      </h2>
      <p id={bodyId} className="modal__body">
        {canDeleteForEveryone ? t('lifecycle.deleteBody', { name: peerName }) : ''}
      </p>
      {error && (
        <p role="alert" className="modal__error">
          {error}
        </p>
      )}
      <div className="modal__actions modal__actions--wrap">
        <button ref={cancelRef} type="button" className="button button--secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button--danger" onClick={() => void remove(false)} disabled={busy}>
          {t('lifecycle.deleteForMe')}
        </button>
        {canDeleteForEveryone && (
          <button type="button" className="button button--danger" onClick={() => void remove(true)} disabled={busy}>
            {t('lifecycle.deleteForEveryone')}
          </button>
        )}
      </div>
    </Modal>
  );
}
