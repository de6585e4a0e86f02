import { useTranslation } from 'react-i18next';
import { LockIcon } from '../icons/LockIcon';

interface HistoryEdgeProps {
  loading: boolean;
  atBeginning: boolean;
  /**
   * Said at the beginning of the history: who can read it. Only an end-to-end encrypted
   * conversation may promise that no one else can.
   */
  beginningNote?: string | undefined;
}

/** The top of the conversation: a loading note while older messages come; at the beginning, who can read it. */
export function HistoryEdge({ loading, atBeginning, beginningNote }: HistoryEdgeProps) {
  const { t } = useTranslation();
  if (loading) {
    return (
      <p className="history-edge">
        <span className="spinner" aria-hidden="true" />
        {t('chat.loadingOlder')}
      </p>
    );
  }
  if (atBeginning && beginningNote) {
    return (
      <p className="history-edge history-edge--beginning">
        <LockIcon className="history-edge__icon" />
        {beginningNote}
      </p>
    );
  }
  return <div className="history-edge history-edge--more" />;
}
