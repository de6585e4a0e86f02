import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelView } from '../../../../shared/ipc';
import { useActions } from '../../app/AppContext';
import { ChannelAvatar } from './ChannelAvatar';
import { failureText } from './failureText';
import { useAvatarFile } from './useAvatarFile';

/**
 * Owner's tools: the channel's picture, changed (the same pipeline as the New channel dialog)
 * or removed. Subscribers see the change live; the header and chat list follow the view.
 */
export function ChannelPictureTools({ channel }: { channel: ChannelView }) {
  const { t } = useTranslation();
  const { setChannelAvatar } = useActions();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);

  const save = async (avatar: Uint8Array | null) => {
    setBusy(true);
    setStatus(null);
    const result = await setChannelAvatar(channel.id, avatar);
    setBusy(false);
    setStatus(
      result.ok
        ? { text: t(avatar ? 'channel.pictureChanged' : 'channel.pictureRemoved'), failed: false }
        : { text: failureText(result, t), failed: true },
    );
  };
  const { inputProps, open, working, error: fileError, setError: setFileError } = useAvatarFile(save);
  const disabled = busy || working;
  const error = fileError ?? (status?.failed ? status.text : null);

  return (
    <div className="channel-tools__row channel-tools__picture" role="group" aria-label={t('channel.pictureLabel')}>
      <ChannelAvatar channelId={channel.id} title={channel.title} avatarKey={channel.avatarId} size="medium" />
      <div className="channel-tools__picture-body">
        <div className="channel-tools__buttons">
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={disabled}
            onClick={() => {
              setStatus(null);
              setFileError(null);
              open();
            }}
          >
            {t('channel.changePicture')}
          </button>
          {channel.avatarId && (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={disabled}
              onClick={() => {
                setFileError(null);
                void save(null);
              }}
            >
              {t('channel.removePicture')}
            </button>
          )}
        </div>
        {working && <span className="channel-tools__status">{t('channel.avatarWorking')}</span>}
        {error ? (
          <span role="alert" className="channel-dialog__error">
            {error}
          </span>
        ) : (
          status && (
            <span role="status" className="channel-tools__status">
              {status.text}
            </span>
          )
        )}
      </div>
      <input {...inputProps} aria-label={t('channel.pictureFile')} />
    </div>
  );
}
