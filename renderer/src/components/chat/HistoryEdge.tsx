import { useTranslation } from 'react-i18next';
import { LockIcon } from '../icons/LockIcon';

interface HistoryEdgeProps {
  loading: boolean;
  atBeginning: boolean;
  /** Only an end-to-end encrypted chat may promise that no one else can read it. */
  encrypted: boolean;
  peerName: string;
}

/** The top of the conversation: a loading note while older messages come; at the beginning, who can read it. */
export function HistoryEdge({ loading, atBeginning, encrypted, peerName }: HistoryEdgeProps) {
  const { t } = useTranslation();
  if (loading) {
    return (
      <p className="history-edge">
        <span className="spinner" aria-hidden="true" />
        {t('chat.loadingOlder')}
      </p>
    );
  }
  if (atBeginning && encrypted) {
    return (
      <p className="history-edge history-edge--beginning">
        <LockIcon className="history-edge__icon" />
        {t('chat.encryptedHint', { name: peerName })}
      </p>
    );
  }
  return <div className="history-edge history-edge--more" />;
}
