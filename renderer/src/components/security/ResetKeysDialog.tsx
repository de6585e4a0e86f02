import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { ConfirmDialog } from '../common/ConfirmDialog';

/** Confirms "Reset encryption keys": contacts will see that the safety number changed. */
/** `onDone(reset)`: closed, after resetting the keys or not. */
export function ResetKeysDialog({ onDone }: { onDone(reset: boolean): void }) {
  const { t } = useTranslation();
  const { resetKeys } = useActions();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    const result = await resetKeys();
    setBusy(false);
    if (result.ok) onDone(true);
    else setFailure(result.code);
  };

  return (
    <ConfirmDialog
      title={t('resetKeys.title')}
      body={t('resetKeys.body')}
      confirmLabel={t('resetKeys.confirm')}
      danger
      busy={busy}
      error={failure ? t('resetKeys.failed', { reason: t(errorMessageKey(failure)) }) : null}
      onConfirm={() => void confirm()}
      onCancel={() => onDone(false)}
    />
  );
}
