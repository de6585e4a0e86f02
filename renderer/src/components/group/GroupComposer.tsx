import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { ComposerBox } from '../chat/ComposerBox';

/**
 * The 1:1 composer's look and keys (Chat.css): Enter sends, Shift+Enter starts a new line,
 * the box grows with its text, the round button sends. A failed send puts the text back.
 */
export function GroupComposer({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const { sendGroupMessage } = useActions();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    textareaRef.current?.focus();
  }, [groupId]);

  const send = async () => {
    const value = text.trim();
    if (!value) return;
    setText('');
    const result = await sendGroupMessage(groupId, value);
    if (!result.ok) {
      setText(value);
      setError(t('composer.sendFailed', { reason: t(errorMessageKey(result.code)) }));
    } else setError(null);
    textareaRef.current?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {error && (
        <p role="alert" className="composer__failure">
          {error}
        </p>
      )}
      <ComposerBox
        textareaRef={textareaRef}
        value={text}
        onChange={setText}
        onSend={() => void send()}
        label={t('group.messageLabel')}
        placeholder={t('group.messagePlaceholder')}
        sendLabel={t('group.send')}
      />
    </form>
  );
}
