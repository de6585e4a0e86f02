import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { useActions, useAppStore } from '../../app/AppContext';
import { displayGroups, safetyNumberCopyText, safetyNumberRows } from '../../format/safetyNumber';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Avatar } from '../common/Avatar';
import { Modal } from '../common/Modal';
import { CloseIcon } from '../icons/CloseIcon';
import { CopyIcon } from '../icons/CopyIcon';
import { ShieldAlertIcon } from '../icons/ShieldAlertIcon';
import { QrCode } from './QrCode';
import { VerifiedBadge } from './VerifiedBadge';
import './Security.css';

/** How long "Copied" stays up. */
const COPY_NOTE_MS = 2_000;

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * "Verify safety number": the 60 digits (12 groups of 5) and a QR code of the same, both
 * derived from the two identity keys and identical on both sides, to compare in person or
 * over another channel; then the user marks the contact verified. The chat's live security
 * state (from the store) drives the switch, so a key change arriving while it is open
 * shows at once, and the number is fetched again.
 */
export function SafetyNumberDialog({ chat }: { chat: ChatView }) {
  const { t } = useTranslation();
  const { loadSafetyNumber, setVerified, closeSafetyNumber } = useActions();
  const titleId = useId();
  const explanationId = useId();
  const cached = useAppStore((s) => s.security.safetyNumbers[chat.id]);
  // Only a number fetched while this dialog is open is shown: a cached one may predate a key change.
  const [fetched, setFetched] = useState(false);
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [pendingVerified, setPendingVerified] = useState<boolean | null>(null);
  const [saveFailure, setSaveFailure] = useState<string | null>(null);
  const [copyState, setCopyState] = useState<CopyState>('idle');
  const { keyChanged, verified } = chat.security;
  const name = chat.peer.displayName;

  useEffect(() => {
    let current = true;
    void loadSafetyNumber(chat.id).then((result) => {
      if (!current) return;
      setFetched(result.ok);
      setLoadFailure(result.ok ? null : result.code);
    });
    return () => {
      current = false;
    };
  }, [chat.id, loadSafetyNumber, attempt, keyChanged]);

  useEffect(() => {
    if (copyState === 'idle') return;
    const timer = setTimeout(() => setCopyState('idle'), COPY_NOTE_MS);
    return () => clearTimeout(timer);
  }, [copyState]);

  const view = fetched ? cached : undefined;
  const groups = view ? displayGroups(view.digits, view.groups) : [];
  const checked = pendingVerified ?? verified;

  const toggleVerified = async () => {
    const next = !checked;
    setPendingVerified(next);
    setSaveFailure(null);
    const result = await setVerified(chat.id, next, view?.digits);
    setPendingVerified(null);
    if (!result.ok) setSaveFailure(result.code);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(safetyNumberCopyText(groups));
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };

  return (
    <Modal labelledBy={titleId} describedBy={explanationId} onClose={closeSafetyNumber} className="safety-dialog">
      <header className="modal__header">
        <h2 id={titleId} className="modal__title">
          {t('security.verifyTitle')}
        </h2>
        <button type="button" className="icon-button modal__close" onClick={closeSafetyNumber}>
          <CloseIcon />
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </header>

      <div className="safety-dialog__peer">
        <Avatar userId={chat.peer.userId} displayName={name} username={chat.peer.username} size="small" />
        <div className="safety-dialog__peer-names">
          <p className="safety-dialog__peer-name">
            <bdi>{name}</bdi>
          </p>
          <p className="safety-dialog__peer-username">
            <bdi>@{chat.peer.username}</bdi>
          </p>
        </div>
        {verified && <VerifiedBadge withText />}
      </div>

      {keyChanged && (
        <p className="safety-dialog__changed">
          <ShieldAlertIcon className="safety-dialog__changed-icon" />
          {t('security.changedNote', { name })}
        </p>
      )}

      {!view && !loadFailure && (
        <p className="safety-dialog__loading">
          <span className="spinner" aria-hidden="true" />
          {t('security.loading')}
        </p>
      )}
      {!view && loadFailure && (
        <div className="safety-dialog__failure" role="alert">
          <p>{t('security.loadFailed', { reason: t(errorMessageKey(loadFailure)) })}</p>
          <button type="button" className="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('app.retry')}
          </button>
        </div>
      )}

      {view && (
        <div className="safety-dialog__codes">
          <QrCode text={view.qrText} label={t('security.qrLabel', { name })} className="safety-dialog__qr" />
          <div className="safety-dialog__number-column">
            <div className="safety-number" role="group" aria-label={t('security.safetyNumber')}>
              {safetyNumberRows(groups).map((row, rowIndex) => (
                <p key={rowIndex} className="safety-number__row">
                  {row.map((group, index) => (
                    <span key={index} className="safety-number__group">
                      {group}
                      {/* A real space between groups, so a selection copies them apart. */}
                      {index < row.length - 1 ? ' ' : ''}
                    </span>
                  ))}
                </p>
              ))}
            </div>
            <div className="safety-dialog__copy">
              <button type="button" className="button button--secondary button--small" onClick={() => void copy()}>
                <CopyIcon />
                {t('security.copy')}
              </button>
              <span className="safety-dialog__copy-note" role="status">
                {copyState === 'copied' && t('security.copied')}
                {copyState === 'failed' && t('security.copyFailed')}
              </span>
            </div>
          </div>
        </div>
      )}

      <p id={explanationId} className="safety-dialog__explanation">
        {t('security.explanation', { name })}
      </p>

      <div className="safety-dialog__verify">
        <span id={`${titleId}-switch`} className="safety-dialog__verify-label">
          {t('security.markVerified')}
        </span>
        <button
          type="button"
          role="switch"
          aria-checked={checked}
          aria-labelledby={`${titleId}-switch`}
          aria-busy={pendingVerified !== null || undefined}
          disabled={pendingVerified !== null || !view}
          className="switch"
          onClick={() => void toggleVerified()}
        >
          <span className="switch__thumb" aria-hidden="true" />
        </button>
      </div>
      {saveFailure && (
        <p role="alert" className="modal__error">
          {t('security.saveFailed', { reason: t(errorMessageKey(saveFailure)) })}
        </p>
      )}
    </Modal>
  );
}
