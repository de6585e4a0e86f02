import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { SendIcon } from '../icons/SendIcon';

/**
 * Where messages are written. Enter sends, Shift+Enter starts a new line; the box grows
 * with its text up to about six lines (CSS max-height), then scrolls. The text lives in
 * the store as the chat's draft, so it survives switching chats, and comes back if the
 * send fails.
 */
export function Composer({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const { sendDraft } = useActions();
  const draft = useAppStore((s) => s.ui.drafts[chatId] ?? '');
  const setDraft = useAppStore((s) => s.setDraft);
  const [failureCode, setFailureCode] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const canSend = draft.trim().length > 0;

  useEffect(() => {
    textareaRef.current?.focus();
  }, [chatId]);

  // Fit the height to the text (CSSOM, allowed by the CSP, unlike a style attribute).
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.blockSize = 'auto';
    textarea.style.blockSize = `${textarea.scrollHeight}px`;
  }, [draft]);

  const send = async () => {
    setFailureCode(null);
    const result = await sendDraft(chatId);
    if (result && !result.ok) setFailureCode(result.code);
    textareaRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing, Enter confirms the composition, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (canSend) void send();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (canSend) void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {failureCode && (
        <p role="alert" className="composer__failure">
          {t('composer.sendFailed', { reason: t(errorMessageKey(failureCode)) })}
        </p>
      )}
      <div className="composer__box">
        <textarea
          ref={textareaRef}
          className="composer__input"
          rows={1}
          // Typing Arabic in an English UI (or the reverse) lays out the way it is written.
          dir="auto"
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder')}
          value={draft}
          onChange={(event) => setDraft(chatId, event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" disabled={!canSend} aria-label={t('composer.send')}>
          <SendIcon />
        </button>
      </div>
    </form>
  );
}
