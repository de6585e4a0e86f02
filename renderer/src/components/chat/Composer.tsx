import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, useAppStore } from '../../app/AppContext';
import { slot } from '../../format/lifecycle';
import { errorMessageKey } from '../../i18n/errorMessages';
import { selectChatMessages } from '../../store/selectors';
import { WithNames } from '../common/WithNames';
import type { BubbleMessage } from '../lifecycle/bubbleMessage';
import { ComposerBox } from './ComposerBox';

/** The draft is saved to the core this long after the last keystroke. */
const DRAFT_SAVE_DELAY_MS = 600;
/** "Typing" goes out at most this often (the core rate-limits too). */
const TYPING_EVERY_MS = 3_000;

export interface ConversationComposerProps<M extends BubbleMessage> {
  /** The chat or group id: the key of its draft and reply/edit mode in the store. */
  conversationId: string;
  /** The loaded messages: the reply/edit target, and Up's "our last message". */
  messages: readonly M[];
  /** Who "Replying to …" names for this message (not ours). */
  replyName(target: M | undefined): string;
  /** Sends the stored draft (or the edit); null when there was nothing to send. */
  send(): Promise<{ ok: true } | { ok: false; code: string } | null>;
  saveDraft(draft: string): Promise<void>;
  /** Resolves to whether a typing indicator went out. */
  typing(): Promise<boolean>;
  label: string;
  placeholder: string;
  sendLabel: string;
}

/**
 * Where messages are written, in 1:1 chats and groups alike. Enter sends, Shift+Enter
 * starts a new line; the box grows with its text up to about six lines (CSS max-height),
 * then scrolls. The text lives in the store as the conversation's draft, so it survives
 * switching conversations, is saved to the core (debounced) across restarts, and comes back
 * if the send fails. Above the box, the reply/edit bar: Esc cancels; Up in an empty box
 * edits our last message.
 */
export function ConversationComposer<M extends BubbleMessage>({
  conversationId,
  messages,
  replyName,
  send: sendDraft,
  saveDraft,
  typing,
  label,
  placeholder,
  sendLabel,
}: ConversationComposerProps<M>) {
  const { t } = useTranslation();
  const draft = useAppStore((s) => s.ui.drafts[conversationId] ?? '');
  const setDraft = useAppStore((s) => s.setDraft);
  const compose = useAppStore((s) => s.ui.compose[conversationId]);
  const setCompose = useAppStore((s) => s.setCompose);
  const target = compose ? messages.find((m) => m.id === compose.messageId) : undefined;
  const lastTyping = useRef(0);
  const [failureCode, setFailureCode] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const canSend = draft.trim().length > 0;

  useEffect(() => {
    textareaRef.current?.focus();
  }, [conversationId]);

  // Persist the draft (debounced), so it survives restarts; the last value is flushed on unmount.
  const savedDraft = useRef(draft);
  useEffect(() => {
    if (draft === savedDraft.current) return;
    const timer = window.setTimeout(() => {
      savedDraft.current = draft;
      void saveDraft(compose?.kind === 'edit' ? '' : draft);
    }, DRAFT_SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, saveDraft, compose?.kind]);

  const latestDraft = useRef(draft);
  useEffect(() => {
    latestDraft.current = compose?.kind === 'edit' ? savedDraft.current : draft;
  }, [draft, compose?.kind]);
  const saveDraftRef = useRef(saveDraft);
  useEffect(() => {
    saveDraftRef.current = saveDraft;
  }, [saveDraft]);
  useEffect(
    () => () => {
      // Leaving the conversation: save what the debounce has not yet.
      if (latestDraft.current !== savedDraft.current) void saveDraftRef.current(latestDraft.current);
    },
    [conversationId],
  );

  const onChange = (text: string) => {
    setDraft(conversationId, text);
    const now = Date.now();
    if (text && compose?.kind !== 'edit' && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      // Not sent (no session yet, offline): the next keystroke may try again.
      void typing().then((sent) => {
        if (!sent && lastTyping.current === now) lastTyping.current = 0;
      });
    }
  };

  const cancelCompose = () => {
    if (compose?.kind === 'edit') setDraft(conversationId, '');
    setCompose(conversationId, null);
    textareaRef.current?.focus();
  };

  const send = async () => {
    setFailureCode(null);
    lastTyping.current = 0;
    const result = await sendDraft();
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
      const last = [...messages].reverse().find((m) => m.fromMe && (m.kind ?? 'text') === 'text');
      if (last) {
        event.preventDefault();
        setCompose(conversationId, { kind: 'edit', messageId: last.id });
        setDraft(conversationId, last.text);
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
              {compose.kind === 'edit' ? (
                t('lifecycle.editing')
              ) : (
                <WithNames
                  text={t('lifecycle.replyingTo', { name: slot(0) })}
                  names={[target?.fromMe ? t('lifecycle.you') : replyName(target)]}
                />
              )}
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
        label={label}
        placeholder={placeholder}
        sendLabel={sendLabel}
      />
    </form>
  );
}

/** The composer of a 1:1 chat. */
export function Composer({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const { sendDraft, saveDraft, typing } = useActions();
  const peerName = useAppStore((s) => s.chats.byId[chatId]?.peer.displayName ?? '');
  const messagesSelector = useMemo(() => selectChatMessages(chatId), [chatId]);
  const { items } = useAppStore(messagesSelector);
  return (
    <ConversationComposer
      conversationId={chatId}
      messages={items}
      replyName={() => peerName}
      send={useCallback(() => sendDraft(chatId), [sendDraft, chatId])}
      saveDraft={useCallback((draft: string) => saveDraft(chatId, draft), [saveDraft, chatId])}
      typing={useCallback(() => typing(chatId), [typing, chatId])}
      label={t('composer.label')}
      placeholder={t('composer.placeholder')}
      sendLabel={t('composer.send')}
    />
  );
}
