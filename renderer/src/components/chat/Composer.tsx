import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { selectChatMessages } from '../../store/selectors';
import { ComposerBox } from './ComposerBox';

/** The draft is saved to the core this long after the last keystroke. */
const DRAFT_SAVE_DELAY_MS = 600;
/** "Typing" goes to the peer at most this often. */
const TYPING_EVERY_MS = 3_000;

/**
 * Where messages are written. Enter sends, Shift+Enter starts a new line; the box grows
 * with its text up to about six lines (CSS max-height), then scrolls. The text lives in
 * the store as the chat's draft, so it survives switching chats, and comes back if the
 * send fails.
 */
export function Composer({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const { sendDraft, saveDraft, typing } = useActions();
  const draft = useAppStore((s) => s.ui.drafts[chatId] ?? '');
  const setDraft = useAppStore((s) => s.setDraft);
  const compose = useAppStore((s) => s.ui.compose[chatId]);
  const setCompose = useAppStore((s) => s.setCompose);
  const peerName = useAppStore((s) => s.chats.byId[chatId]?.peer.displayName ?? '');
  const messagesSelector = useMemo(() => selectChatMessages(chatId), [chatId]);
  const { items } = useAppStore(messagesSelector);
  const target = compose ? items.find((m) => m.id === compose.messageId) : undefined;
  const lastTyping = useRef(0);
  const [failureCode, setFailureCode] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const canSend = draft.trim().length > 0;

  useEffect(() => {
    textareaRef.current?.focus();
  }, [chatId]);

  // Persist the draft (debounced), so it survives restarts; the last value is flushed on unmount.
  const savedDraft = useRef(draft);
  useEffect(() => {
    if (draft === savedDraft.current) return;
    const timer = window.setTimeout(() => {
      savedDraft.current = draft;
      void saveDraft(chatId, compose?.kind === 'edit' ? '' : draft);
    }, DRAFT_SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, chatId, saveDraft, compose?.kind]);

  const latestDraft = useRef(draft);
  useEffect(() => {
    latestDraft.current = compose?.kind === 'edit' ? savedDraft.current : draft;
  }, [draft, compose?.kind]);
  useEffect(
    () => () => {
      // Leaving the chat: save what the debounce has not yet.
      if (latestDraft.current !== savedDraft.current) void saveDraft(chatId, latestDraft.current);
    },
    [chatId, saveDraft],
  );

  const onChange = (text: string) => {
    setDraft(chatId, text);
    const now = Date.now();
    if (text && compose?.kind !== 'edit' && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      // Not sent (no session yet, offline): the next keystroke may try again.
      void typing(chatId).then((sent) => {
        if (!sent && lastTyping.current === now) lastTyping.current = 0;
      });
    }
  };

  const cancelCompose = () => {
    if (compose?.kind === 'edit') setDraft(chatId, '');
    setCompose(chatId, null);
    textareaRef.current?.focus();
  };

  const send = async () => {
    setFailureCode(null);
    lastTyping.current = 0;
    const result = await sendDraft(chatId);
    if (result && !result.ok) setFailureCode(result.code);
    textareaRef.current?.focus();
  };

  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (event.key === 'Escape' && compose) {
      event.preventDefault();
      cancelCompose();
      return true;
    }
    // Up in an empty composer edits our last message.
    if (event.key === 'ArrowUp' && draft === '' && !compose) {
      const last = [...items].reverse().find((m) => m.fromMe && m.kind === 'text');
      if (last) {
        event.preventDefault();
        setCompose(chatId, { kind: 'edit', messageId: last.id });
        setDraft(chatId, last.text);
      }
      return true;
    }
    return false;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (canSend) void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {compose && (
        <div className="compose-bar" role="status">
          <div className="compose-bar__body">
            <span className="compose-bar__title">
              {compose.kind === 'edit'
                ? t('lifecycle.editing')
                : t('lifecycle.replyingTo', { name: target?.fromMe ? t('lifecycle.you') : peerName })}
            </span>
            <span className="compose-bar__text" dir="auto">
              {target?.text ?? ''}
            </span>
          </div>
          <button
            type="button"
            className="compose-bar__cancel"
            aria-label={t('lifecycle.cancelCompose')}
            onClick={cancelCompose}
          >
            ×
          </button>
        </div>
      )}
      {failureCode && (
        <p role="alert" className="composer__failure">
          {t('composer.sendFailed', { reason: t(errorMessageKey(failureCode)) })}
        </p>
      )}
      <ComposerBox
        textareaRef={textareaRef}
        value={draft}
        onChange={onChange}
        onKey={onKey}
        onSend={() => void send()}
        label={t('composer.label')}
        placeholder={t('composer.placeholder')}
        sendLabel={t('composer.send')}
      />
    </form>
  );
}
