import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelView } from '../../../../shared/ipc';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { ChannelAdminList } from './ChannelAdminList';
import { ChannelPictureTools } from './ChannelPictureTools';

/** Owner's tools: the picture, the admins (listed, added by @username, removed), invite links. */
export function ChannelAdminTools({ channel }: { channel: ChannelView }) {
  const { t } = useTranslation();
  const { addChannelAdmin, createChannelInvite, revokeChannelInvite } = useActions();
  const [adminsVersion, setAdminsVersion] = useState(0);
  const [username, setUsername] = useState('');
  const [invite, setInvite] = useState<{ link: string; token: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const addAdmin = async (event: FormEvent) => {
    event.preventDefault();
    const result = await addChannelAdmin(channel.id, username);
    setStatus(
      result.ok
        ? t('channel.adminAdded')
        : result.code === 'relay_error'
          ? result.message
          : t(errorMessageKey(result.code)),
    );
    if (result.ok) {
      setUsername('');
      setAdminsVersion((version) => version + 1);
    }
  };

  const makeInvite = async () => {
    const result = await createChannelInvite(channel.id);
    if (result.ok) setInvite(result.value);
    else setStatus(t(errorMessageKey(result.code)));
  };

  const revoke = async () => {
    if (!invite) return;
    const result = await revokeChannelInvite(channel.id, invite.token);
    if (result.ok) {
      setInvite(null);
      setStatus(t('channel.inviteRevoked'));
    }
  };

  return (
    <section className="channel-tools" aria-label={t('channel.manage')}>
      <ChannelPictureTools channel={channel} />
      <ChannelAdminList channel={channel} reloadKey={adminsVersion} />
      <form className="channel-tools__row" onSubmit={(event) => void addAdmin(event)}>
        <label>
          <span>{t('channel.addAdminLabel')}</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} placeholder="@username" required />
        </label>
        <button type="submit" className="button button--secondary button--small">
          {t('channel.addAdmin')}
        </button>
      </form>
      <div className="channel-tools__row">
        {invite ? (
          <>
            <output className="channel-tools__link" aria-label={t('channel.inviteLinkLabel')}>
              {invite.link}
            </output>
            <button type="button" className="button button--danger button--small" onClick={() => void revoke()}>
              {t('channel.revokeInvite')}
            </button>
          </>
        ) : (
          <button type="button" className="button button--secondary button--small" onClick={() => void makeInvite()}>
            {t('channel.createInvite')}
          </button>
        )}
      </div>
      {status && (
        <p role="status" className="channel-tools__status">
          {status}
        </p>
      )}
    </section>
  );
}
