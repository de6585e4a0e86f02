import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { useAppStore } from '../../app/AppContext';
import { timerLabelKey } from '../../format/lifecycle';
import type { SystemLineKey } from '../../format/preview';
import { ShieldAlertIcon } from '../icons/ShieldAlertIcon';

interface ServiceLineProps {
  message: MessageView;
  sentence: SystemLineKey;
  peerName: string;
  /** Opens "Verify safety number" (offered on a key change). */
  onVerify(): void;
}

/** A line the core adds to the history (a key change, an undecryptable message): centred, not a bubble. */
export const ServiceLine = memo(function ServiceLine({ message, sentence, peerName, onVerify }: ServiceLineProps) {
  const { t } = useTranslation();
  const keyChanged = message.kind === 'keyChanged';
  const me = useAppStore((s) => s.session.profile?.userId);
  if (message.kind === 'timer') {
    const seconds = message.expiresIn ?? 0;
    const mine = message.senderId === me;
    const timer = t(timerLabelKey(seconds));
    const text =
      seconds === 0
        ? mine
          ? t('lifecycle.timerOffLineMine')
          : t('lifecycle.timerOffLine', { name: peerName })
        : mine
          ? t('lifecycle.timerSetLineMine', { timer })
          : t('lifecycle.timerSetLine', { name: peerName, timer });
    return (
      <div className="service-line">
        <p className="service-line__text service-line__text--timer">
          <span>{text}</span>
        </p>
      </div>
    );
  }
  return (
    <div className="service-line">
      <p className={`service-line__text service-line__text--${message.kind}`}>
        <ShieldAlertIcon className="service-line__icon" />
        <span>{t(sentence, { name: peerName })}</span>
        {keyChanged && (
          <button type="button" className="service-line__action" onClick={onVerify}>
            {t('security.verify')}
          </button>
        )}
      </p>
    </div>
  );
});
