import { useCallback, useMemo, useState } from 'react';
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
import { ConversationLog, type RowState } from './ConversationLog';
import { DaySeparator } from './DaySeparator';
import { HistoryEdge } from './HistoryEdge';
import { MessageBubble } from './MessageBubble';
import { ServiceLine } from './ServiceLine';
import { buildMessageRows, type MessageRow } from './messageRows';

const ESTIMATED_HEIGHT: Record<MessageRow['kind'], number> = { edge: 56, day: 44, message: 52, system: 44 };
const estimateSize = (row: MessageRow) => ESTIMATED_HEIGHT[row.kind];
const messageIdOf = (row: MessageRow) => (row.kind === 'message' ? row.message.id : undefined);

/**
 * A 1:1 conversation's history (virtualized, paged back as the user scrolls up: see
 * ConversationLog), with the message menu and its dialogs.
 */
export function MessageList({ chat }: { chat: ChatView }) {
  const { t } = useTranslation();
  const { loadOlderPage, revealMessage, openSafetyNumber, react, deleteMessage } = useActions();
  const setCompose = useAppStore((s) => s.setCompose);
  const setDraft = useAppStore((s) => s.setDraft);
  const [menu, setMenu] = useState<{ message: MessageView; at: { x: number; y: number } } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'delete' | 'forward'; message: MessageView } | null>(null);
  const locale = useFormattingLocale();
  const { items, olderCursor, loadingOlder } = useAppStore(useMemo(() => selectChatMessages(chat.id), [chat.id]));
  const rows = useMemo(() => buildMessageRows(items), [items]);
  const loadOlder = useCallback(() => loadOlderPage(chat.id), [chat.id, loadOlderPage]);
  const reveal = useCallback((messageId: string) => revealMessage(chat.id, messageId), [chat.id, revealMessage]);

  // Our own new message always comes into view, even if the user had scrolled up.
  const lastRow = rows[rows.length - 1];
  const ownNewMessageId =
    lastRow?.kind === 'message' && lastRow.message.fromMe && lastRow.message.status === 'sending'
      ? lastRow.message.id
      : null;

  const openMenu = useCallback((message: MessageView, at: { x: number; y: number }) => setMenu({ message, at }), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onReact = useCallback(
    (message: MessageView, emoji: Reaction | '') => void react(message.chatId, message.id, emoji),
    [react],
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

  const renderRow = (row: MessageRow, { highlighted, jumpTo }: RowState) => {
    switch (row.kind) {
      case 'edge':
        return (
          <HistoryEdge
            loading={loadingOlder}
            atBeginning={olderCursor === null}
            beginningNote={chat.encrypted ? t('chat.encryptedHint', { name: chat.peer.displayName }) : undefined}
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
            highlighted={highlighted}
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
    <ConversationLog
      rows={rows}
      label={t('chat.messages')}
      estimateSize={estimateSize}
      messageIdOf={messageIdOf}
      renderRow={renderRow}
      hasOlder={olderCursor !== null}
      loadingOlder={loadingOlder}
      loadOlder={loadOlder}
      reveal={reveal}
      ownNewMessageId={ownNewMessageId}
      empty={
        <div className="message-list__empty">
          <p className="message-list__empty-title">{t('chat.noMessagesYet')}</p>
          {chat.encrypted && <p>{t('chat.encryptedHint', { name: chat.peer.displayName })}</p>}
        </div>
      }
    >
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
    </ConversationLog>
  );
}
