import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
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
