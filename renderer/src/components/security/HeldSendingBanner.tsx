import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView } from '../../../../shared/ipc/contract';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { ShieldAlertIcon } from '../icons/ShieldAlertIcon';
import './Security.css';

/**
 * Above the composer while sending is held (a verified contact's key changed): messages
 * the user writes queue ("Sending") until they verify the new safety number or choose
 * "Send anyway".
 */
export function HeldSendingBanner({ chat }: { chat: ChatView }) {
  const { t } = useTranslation();
  const { openSafetyNumber, acceptKeyChange } = useActions();
  const textId = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const sendAnyway = async () => {
    setBusy(true);
    setFailure(null);
    const result = await acceptKeyChange(chat.id);
    setBusy(false);
    if (!result.ok) setFailure(result.code);
  };

  return (
    <section className="held-banner" aria-labelledby={textId}>
      <ShieldAlertIcon className="held-banner__icon" />
      <div className="held-banner__body">
        <p id={textId} className="held-banner__text" role="status">
          {t('security.heldBanner', { name: chat.peer.displayName })}
        </p>
        {failure && (
          <p role="alert" className="held-banner__failure">
            {t('security.saveFailed', { reason: t(errorMessageKey(failure)) })}
          </p>
        )}
        <div className="held-banner__actions">
          <button
            type="button"
            className="button button--primary button--small"
            aria-haspopup="dialog"
            onClick={() => openSafetyNumber(chat.id)}
          >
            {t('security.verifyTitle')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={busy}
            aria-busy={busy || undefined}
            onClick={() => void sendAnyway()}
          >
            {t('security.sendAnyway')}
          </button>
        </div>
      </div>
    </section>
  );
}
