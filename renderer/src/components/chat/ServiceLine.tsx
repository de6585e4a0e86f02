import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { useAppStore } from '../../app/AppContext';
import { timerLabelKey, timerLine } from '../../format/lifecycle';
import type { SystemLineKey } from '../../format/preview';
import { SentenceText } from '../common/WithNames';
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
    return <TimerServiceLine seconds={message.expiresIn ?? 0} mine={message.senderId === me} name={peerName} />;
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

/** "Alice set messages to disappear after 5 seconds." / "You turned off disappearing messages." (1:1 and groups). */
export const TimerServiceLine = memo(function TimerServiceLine({
  seconds,
  mine,
  name,
}: {
  seconds: number;
  mine: boolean;
  /** Who set it (when not us). */
  name: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="service-line">
      <p className="service-line__text service-line__text--timer">
        <span>
          <SentenceText sentence={timerLine(seconds, mine, name, t(timerLabelKey(seconds)))} />
        </span>
      </p>
    </div>
  );
});
