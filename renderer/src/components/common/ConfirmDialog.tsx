import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  /** The confirm button is drawn as destructive. */
  danger?: boolean;
  busy?: boolean;
  /** Shown as an alert under the text (the failure of the last attempt). */
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** "Are you sure?": a title, what will happen, Cancel (focused first, the safe choice) and the action. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  danger,
  busy,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={bodyId}
      onClose={() => !busy && onCancel()}
      initialFocus={cancelRef}
      className="modal--narrow"
    >
      <h2 id={titleId} className="modal__title modal__title--spaced">
        {title}
      </h2>
      <p id={bodyId} className="modal__body">
        {body}
      </p>
      {error && (
        <p role="alert" className="modal__error">
          {error}
        </p>
      )}
      <div className="modal__actions">
        <button ref={cancelRef} type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={`button ${danger ? 'button--danger' : 'button--primary'}`}
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
