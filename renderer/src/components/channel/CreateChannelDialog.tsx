import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { sniffImageMime } from '../../format/channelAvatar';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';
import { useAvatarFile } from './useAvatarFile';

/** A picked avatar: its bytes and an object URL for the preview (revoked when replaced or closed). */
interface PickedAvatar {
  bytes: Uint8Array;
  url: string;
}

/** The optional picture: a button in front of a real file input, a round preview, Remove. */
function AvatarPicker({
  avatar,
  onChange,
  disabled,
}: {
  avatar: PickedAvatar | null;
  onChange(avatar: PickedAvatar | null): void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { inputProps, open, working, error, setError } = useAvatarFile((bytes) => {
    const type = sniffImageMime(bytes) ?? 'image/png';
    onChange({ bytes, url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type })) });
  });
  const url = avatar?.url ?? null;

  useEffect(() => {
    if (!url) return;
    return () => URL.revokeObjectURL(url);
  }, [url]);

  return (
    <div className="channel-dialog__avatar" role="group" aria-labelledby={`${id}-label`}>
      {url ? (
        <img className="channel-dialog__avatar-preview" src={url} alt={t('channel.avatarPreview')} />
      ) : (
        <span className="channel-dialog__avatar-preview channel-dialog__avatar-preview--empty" aria-hidden="true" />
      )}
      <div className="channel-dialog__avatar-body">
        <span id={`${id}-label`}>{t('channel.avatarLabel')}</span>
        <div className="channel-dialog__avatar-buttons">
          <button type="button" className="button button--secondary" disabled={disabled || working} onClick={open}>
            {t(avatar ? 'channel.changeAvatar' : 'channel.chooseAvatar')}
          </button>
          {avatar && (
            <button
              type="button"
              className="button button--secondary"
              disabled={disabled || working}
              onClick={() => {
                setError(null);
                onChange(null);
              }}
            >
              {t('channel.removeAvatar')}
            </button>
          )}
        </div>
        {working && <span className="channel-dialog__hint">{t('channel.avatarWorking')}</span>}
        {error && (
          <span role="alert" className="channel-dialog__error">
            {error}
          </span>
        )}
      </div>
      <input {...inputProps} aria-label={t('channel.avatarFile')} />
    </div>
  );
}

/** New channel: title, description, optional avatar, public (with a unique @handle) or private (invite links). */
export function CreateChannelDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { createChannel } = useActions();
  const id = useId();
  const [avatar, setAvatar] = useState<PickedAvatar | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const [handle, setHandle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await createChannel({
      title,
      description,
      isPublic,
      ...(isPublic ? { handle } : {}),
      ...(avatar ? { avatar: avatar.bytes } : {}),
    });
    setBusy(false);
    if (result.ok) onClose();
    else
      setError(
        result.code === 'relay_error' || result.code === 'invalid_input'
          ? result.message
          : t(errorMessageKey(result.code)),
      );
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="channel-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={`${id}-title`}>{t('channel.createTitle')}</h2>
        <label className="channel-dialog__field">
          <span>{t('channel.titleLabel')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={128} />
        </label>
        <label className="channel-dialog__field">
          <span>{t('channel.descriptionLabel')}</span>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={3} />
        </label>
        <AvatarPicker avatar={avatar} onChange={setAvatar} disabled={busy} />
        <fieldset className="channel-dialog__kind">
          <legend>{t('channel.visibility')}</legend>
          <label>
            <input type="radio" name={`${id}-kind`} checked={isPublic} onChange={() => setIsPublic(true)} />
            {t('channel.public')}
          </label>
          <label>
            <input type="radio" name={`${id}-kind`} checked={!isPublic} onChange={() => setIsPublic(false)} />
            {t('channel.private')}
          </label>
        </fieldset>
        {isPublic ? (
          <label className="channel-dialog__field">
            <span>{t('channel.handleLabel')}</span>
            <input value={handle} onChange={(e) => setHandle(e.target.value)} required placeholder="@" maxLength={33} />
          </label>
        ) : (
          <p className="channel-dialog__hint">{t('channel.privateHint')}</p>
        )}
        <p className="channel-notice" role="note">
          {t('channel.notEncrypted')}
        </p>
        {error && (
          <p role="alert" className="channel-dialog__error">
            {error}
          </p>
        )}
        <div className="channel-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || title.trim().length === 0}>
            {t('channel.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Join a channel through an invite link. */
export function JoinChannelDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { joinChannelByLink } = useActions();
  const id = useId();
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await joinChannelByLink(link);
    if (result.ok) onClose();
    else setError(result.code === 'relay_error' ? result.message : t(errorMessageKey(result.code)));
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="channel-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={`${id}-title`}>{t('channel.joinTitle')}</h2>
        <label className="channel-dialog__field">
          <span>{t('channel.inviteLinkLabel')}</span>
          <input value={link} onChange={(e) => setLink(e.target.value)} required placeholder="parley://join/…" />
        </label>
        {error && (
          <p role="alert" className="channel-dialog__error">
            {error}
          </p>
        )}
        <div className="channel-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={link.trim().length === 0}>
            {t('channel.join')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
