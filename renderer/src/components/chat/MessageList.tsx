import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView, MessageView } from '../../../../shared/ipc/contract';
import { canDeleteForEveryone, quoteAuthor } from '../lifecycle/bubbleMessage';
import { DeleteMessageDialog } from '../lifecycle/DeleteMessageDialog';
import { ForwardDialog } from '../lifecycle/ForwardDialog';
import { MessageMenu } from '../lifecycle/MessageMenu';
import { useMessageMenu } from '../lifecycle/useMessageMenu';
import type { Reaction } from '../../format/lifecycle';
import { useActions, useAppStore } from '../../app/AppContext';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { selectChatMessages } from '../../store/selectors';
import { ConversationLog, type RowState } from './ConversationLog';
import { DaySeparator } from './DaySeparator';
import { estimateSize, messageIdOf } from './logRows';
import { HistoryEdge } from './HistoryEdge';
import { MessageBubble } from './MessageBubble';
import { ServiceLine } from './ServiceLine';
import { buildMessageRows, type MessageRow } from './messageRows';

/**
 * A 1:1 conversation's history (virtualized, paged back as the user scrolls up: see
 * ConversationLog), with the message menu and its dialogs.
 */
export function MessageList({ chat }: { chat: ChatView }) {
  const { t } = useTranslation();
  const { loadOlderPage, revealMessage, openSafetyNumber, react, deleteMessage } = useActions();
  const reactTo = useCallback(
    (message: MessageView, emoji: Reaction | '') => void react(message.chatId, message.id, emoji),
    [react],
  );
  const { menu, dialog, openMenu, closeMenu, closeDialog, onReact, onMenuReact, onMenuAction } = useMessageMenu(
    chat.id,
    reactTo,
  );
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
          onReact={onMenuReact}
          onClose={closeMenu}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteMessageDialog
          canDeleteForEveryone={canDeleteForEveryone(dialog.message)}
          forEveryoneNote={t('lifecycle.deleteBody', { name: chat.peer.displayName })}
          onDelete={(forEveryone) => deleteMessage(chat.id, dialog.message.id, forEveryone)}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'forward' && (
        <ForwardDialog from={{ chatId: chat.id }} messageId={dialog.message.id} onClose={closeDialog} />
      )}
    </ConversationLog>
  );
}
