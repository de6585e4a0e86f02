import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';

/** New channel: title, description, public (with a unique @handle) or private (invite links). */
export function CreateChannelDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { createChannel } = useActions();
  const id = useId();
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
