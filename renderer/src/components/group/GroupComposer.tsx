import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { SendIcon } from '../icons/SendIcon';

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
  const canSend = text.trim().length > 0;

  useEffect(() => {
    textareaRef.current?.focus();
  }, [groupId]);

  // Fit the height to the text (CSSOM, allowed by the CSP, unlike a style attribute).
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.blockSize = 'auto';
    textarea.style.blockSize = `${textarea.scrollHeight}px`;
  }, [text]);

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

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing, Enter confirms the composition, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
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
      <div className="composer__box">
        <textarea
          ref={textareaRef}
          className="composer__input"
          rows={1}
          dir="auto"
          aria-label={t('group.messageLabel')}
          placeholder={t('group.messagePlaceholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" disabled={!canSend} aria-label={t('group.send')}>
          <SendIcon />
        </button>
      </div>
    </form>
  );
}
