import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView, MessageView } from '../../../../shared/ipc/contract';
import { canDeleteForEveryone, quoteAuthor } from '../lifecycle/bubbleMessage';
import { DeleteMessageDialog } from '../lifecycle/DeleteMessageDialog';
import { ForwardDialog } from '../lifecycle/ForwardDialog';
import { MessageMenu, type MessageMenuAction } from '../lifecycle/MessageMenu';
import type { Reaction } from '../../format/lifecycle';
import { useActions, useAppStore } from '../../app/AppContext';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { selectChatMessages } from '../../store/selectors';
import { ArrowDownIcon } from '../icons/ArrowDownIcon';
import { DaySeparator } from './DaySeparator';
import { HistoryEdge } from './HistoryEdge';
import { MessageBubble } from './MessageBubble';
import { ServiceLine } from './ServiceLine';
import { buildMessageRows, type MessageRow } from './messageRows';

/** Start fetching older history when the viewport is this close to the top. */
const LOAD_OLDER_WITHIN_PX = 600;
/** Counts as "at the bottom" (new messages keep the view pinned) within this distance. */
const AT_END_WITHIN_PX = 48;
/** Offer the jump-to-latest button when further than this from the bottom. */
const SHOW_JUMP_BEYOND_PX = 400;

const ESTIMATED_HEIGHT: Record<MessageRow['kind'], number> = { edge: 56, day: 44, message: 52, system: 44 };

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * The conversation, virtualized: only rows near the viewport are in the DOM, each measured
 * after render (heights vary with the text). It opens at the bottom, stays pinned there as
 * messages arrive if the user was there, keeps the viewport still while older pages are
 * inserted above, and fetches those pages as the user nears the top.
 */
export function MessageList({ chat }: { chat: ChatView }) {
  const { t } = useTranslation();
  const { loadOlderPage, openSafetyNumber, react, deleteMessage } = useActions();
  const setCompose = useAppStore((s) => s.setCompose);
  const setDraft = useAppStore((s) => s.setDraft);
  const [menu, setMenu] = useState<{ message: MessageView; at: { x: number; y: number } } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'delete' | 'forward'; message: MessageView } | null>(null);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const locale = useFormattingLocale();
  const { items, olderCursor, loadingOlder } = useAppStore(useMemo(() => selectChatMessages(chat.id), [chat.id]));
  const rows = useMemo(() => buildMessageRows(items), [items]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [farFromEnd, setFarFromEnd] = useState(false);

  // The virtualizer is a mutable object by design; we do not use the React Compiler, so its
  // "cannot memoize" notice does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => ESTIMATED_HEIGHT[rows[index]?.kind ?? 'message'],
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    paddingStart: 8,
    paddingEnd: 12,
    // Chat behaviour: rows inserted above keep the visible ones in place, and rows
    // appended while at the bottom scroll into view.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_WITHIN_PX,
  });

  const loadOlderIfNearTop = useCallback(() => {
    const element = scrollRef.current;
    if (element && element.scrollTop < LOAD_OLDER_WITHIN_PX) void loadOlderPage(chat.id);
  }, [chat.id, loadOlderPage]);

  // Open at the newest message.
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // Our own new message always comes into view, even if the user had scrolled up.
  const lastRow = rows[rows.length - 1];
  const ownNewMessageId =
    lastRow?.kind === 'message' && lastRow.message.fromMe && lastRow.message.status === 'sending'
      ? lastRow.message.id
      : null;
  useLayoutEffect(() => {
    if (ownNewMessageId) virtualizer.scrollToEnd({ behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }, [ownNewMessageId, virtualizer]);

  // When the viewport changes height (the composer grows or shrinks, the window is resized),
  // keep what is at the bottom in place, as the newest messages are what the user is reading.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let lastHeight = element.clientHeight;
    const observer = new ResizeObserver(() => {
      const height = element.clientHeight;
      if (height !== lastHeight) element.scrollTop += lastHeight - height;
      lastHeight = height;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // When the history fits without scrolling there is no scroll to trigger the next page.
  useEffect(() => {
    const element = scrollRef.current;
    if (element && element.scrollHeight <= element.clientHeight && olderCursor !== null && !loadingOlder) {
      void loadOlderPage(chat.id);
    }
  }, [rows.length, olderCursor, loadingOlder, chat.id, loadOlderPage]);

  const openMenu = useCallback((message: MessageView, at: { x: number; y: number }) => setMenu({ message, at }), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onReact = useCallback(
    (message: MessageView, emoji: Reaction | '') => void react(message.chatId, message.id, emoji),
    [react],
  );
  const jumpTo = useCallback(
    (messageId: string) => {
      const index = rows.findIndex((row) => row.kind === 'message' && row.message.id === messageId);
      if (index < 0) return;
      virtualizer.scrollToIndex(index, { align: 'center' });
      setHighlightedId(messageId);
      window.setTimeout(() => setHighlightedId((id) => (id === messageId ? null : id)), 1_500);
    },
    [rows, virtualizer],
  );
  const onMenuAction = (action: MessageMenuAction) => {
    const message = menu?.message;
    setMenu(null);
    if (!message) return;
    switch (action) {
      case 'reply':
        setCompose(chat.id, { kind: 'reply', messageId: message.id });
        break;
      case 'edit':
        setCompose(chat.id, { kind: 'edit', messageId: message.id });
        setDraft(chat.id, message.text);
        break;
      case 'copy':
        void navigator.clipboard?.writeText(message.text).catch(() => undefined);
        break;
      case 'forward':
      case 'delete':
        setDialog({ kind: action, message });
        break;
    }
    if (action === 'reply' || action === 'edit') document.querySelector<HTMLElement>('.composer__input')?.focus();
  };

  const onScroll = () => {
    loadOlderIfNearTop();
    // From the DOM, not the virtualizer: while rows are still being measured its distance is an estimate.
    const element = scrollRef.current;
    if (element) {
      const distanceFromEnd = element.scrollHeight - element.scrollTop - element.clientHeight;
      setFarFromEnd(distanceFromEnd > SHOW_JUMP_BEYOND_PX);
    }
  };

  const renderRow = (row: MessageRow) => {
    switch (row.kind) {
      case 'edge':
        return (
          <HistoryEdge
            loading={loadingOlder}
            atBeginning={olderCursor === null}
            encrypted={chat.encrypted}
            peerName={chat.peer.displayName}
          />
        );
      case 'day':
        return <DaySeparator at={row.at} locale={locale} />;
      case 'message':
        return (
          <MessageBubble
            message={row.message}
            firstInGroup={row.firstInGroup}
            lastInGroup={row.lastInGroup}
            locale={locale}
            quoteName={quoteAuthor(row.message, { peerName: chat.peer.displayName }, t('lifecycle.you'))}
            highlighted={row.message.id === highlightedId}
            onOpenMenu={openMenu}
            onJumpTo={jumpTo}
            onReact={onReact}
          />
        );
      case 'system':
        return (
          <ServiceLine
            message={row.message}
            sentence={row.sentence}
            peerName={chat.peer.displayName}
            onVerify={() => openSafetyNumber(chat.id)}
          />
        );
    }
  };

  return (
    <div className="message-list">
      <div
        ref={scrollRef}
        className="message-list__scroller"
        role="log"
        aria-label={t('chat.messages')}
        // The log scrolls; keyboard users need to be able to focus it to scroll it.
        tabIndex={0}
        onScroll={onScroll}
      >
        {items.length === 0 && (
          <div className="message-list__empty">
            <p className="message-list__empty-title">{t('chat.noMessagesYet')}</p>
            {chat.encrypted && <p>{t('chat.encryptedHint', { name: chat.peer.displayName })}</p>}
          </div>
        )}
        <div className="message-list__canvas" style={{ blockSize: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key.toString()}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="message-list__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {renderRow(row)}
              </div>
            );
          })}
        </div>
      </div>
      {menu && (
        <MessageMenu
          message={menu.message}
          at={menu.at}
          onAction={onMenuAction}
          onReact={(emoji) => {
            setMenu(null);
            onReact(menu.message, emoji);
          }}
          onClose={closeMenu}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteMessageDialog
          canDeleteForEveryone={canDeleteForEveryone(dialog.message)}
          forEveryoneNote={t('lifecycle.deleteBody', { name: chat.peer.displayName })}
          onDelete={(forEveryone) => deleteMessage(chat.id, dialog.message.id, forEveryone)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'forward' && (
        <ForwardDialog from={{ chatId: chat.id }} messageId={dialog.message.id} onClose={() => setDialog(null)} />
      )}
      {farFromEnd && (
        <button
          type="button"
          className="jump-to-latest"
          onClick={() => virtualizer.scrollToEnd({ behavior: prefersReducedMotion() ? 'auto' : 'smooth' })}
        >
          <ArrowDownIcon />
          <span className="visually-hidden">{t('chat.jumpToLatest')}</span>
        </button>
      )}
    </div>
  );
}
