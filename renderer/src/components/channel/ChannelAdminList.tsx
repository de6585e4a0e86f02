import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelAdminView, ChannelView } from '../../../../shared/ipc';
import { useActions } from '../../app/AppContext';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { failureText } from './failureText';

/**
 * Owner's tools: the channel's admins, each but the owner with "Remove admin" (confirmed
 * first). A removed admin stays subscribed; their earlier posts stay, later ones are refused.
 * `reloadKey` changes when an admin was added elsewhere in the tools.
 */
export function ChannelAdminList({ channel, reloadKey }: { channel: ChannelView; reloadKey: number }) {
  const { t } = useTranslation();
  const { listChannelAdmins, removeChannelAdmin } = useActions();
  const [admins, setAdmins] = useState<ChannelAdminView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ChannelAdminView | null>(null);
  const [busy, setBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  // Bumped after a removal here, to list the admins again.
  const [removals, setRemovals] = useState(0);

  useEffect(() => {
    let current = true;
    void listChannelAdmins(channel.id).then((result) => {
      if (!current) return;
      if (result.ok) setAdmins(result.value);
      setError(result.ok ? null : failureText(result, t));
    });
    return () => {
      current = false;
    };
  }, [channel.id, listChannelAdmins, t, reloadKey, removals]);

  const confirmRemove = async () => {
    if (!removing) return;
    setBusy(true);
    setRemoveError(null);
    const result = await removeChannelAdmin(channel.id, removing.userId);
    setBusy(false);
    if (!result.ok) return setRemoveError(failureText(result, t));
    setRemoving(null);
    setRemovals((count) => count + 1);
  };

  return (
    <div className="channel-tools__admins">
      <h3 className="channel-tools__heading" id={`admins-${channel.id}`}>
        {t('channel.adminsHeading')}
      </h3>
      {error && (
        <p role="alert" className="channel-dialog__error">
          {error}
        </p>
      )}
      {admins && (
        <ul className="channel-tools__admin-list" aria-labelledby={`admins-${channel.id}`}>
          {admins.map((admin) => (
            <li key={admin.userId} className="channel-tools__admin">
              <span className="channel-tools__admin-name">
                <bdi>{admin.displayName}</bdi> <span className="channel-tools__admin-handle">@{admin.username}</span>
                {admin.isOwner && <span className="channel-tools__admin-role"> · {t('channel.ownerRole')}</span>}
              </span>
              {!admin.isOwner && (
                <button
                  type="button"
                  className="button button--danger button--small"
                  aria-label={t('channel.removeAdminNamed', { name: admin.displayName })}
                  onClick={() => {
                    setRemoveError(null);
                    setRemoving(admin);
                  }}
                >
                  {t('channel.removeAdmin')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {removing && (
        <ConfirmDialog
          title={t('channel.removeAdminTitle', { name: removing.displayName })}
          body={t('channel.removeAdminBody', { name: removing.displayName })}
          confirmLabel={t('channel.removeAdmin')}
          danger
          busy={busy}
          error={removeError}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
