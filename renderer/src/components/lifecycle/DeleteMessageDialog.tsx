import { useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResult } from '../../../../shared/ipc/result';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';

interface DeleteMessageDialogProps {
  /** Offer "Delete for everyone" (see canDeleteForEveryone). */
  canDeleteForEveryone: boolean;
  /** What "for everyone" means here (who else loses it). */
  forEveryoneNote: ReactNode;
  onDelete(forEveryone: boolean): Promise<IpcResult<unknown>>;
  onClose(): void;
}

/** Delete for me, or (where allowed) for everyone; for 1:1 chats and groups. Cancel is focused first. */
export function DeleteMessageDialog({
  canDeleteForEveryone,
  forEveryoneNote,
  onDelete,
  onClose,
}: DeleteMessageDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async (forEveryone: boolean) => {
    setBusy(true);
    const result = await onDelete(forEveryone);
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
        {canDeleteForEveryone ? forEveryoneNote : ''}
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
