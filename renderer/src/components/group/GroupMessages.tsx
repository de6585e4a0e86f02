import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView, GroupView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { avatarColorIndex } from '../../format/avatar';
import { slot, type Reaction } from '../../format/lifecycle';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { NO_GROUP_HISTORY } from '../../store/groupsSlice';
import { ConversationLog, type RowState } from '../chat/ConversationLog';
import { DaySeparator } from '../chat/DaySeparator';
import { HistoryEdge } from '../chat/HistoryEdge';
import { MessageBubble } from '../chat/MessageBubble';
import { estimateSize, messageIdOf } from '../chat/logRows';
import { TimerServiceLine } from '../chat/ServiceLine';
import { WithNames } from '../common/WithNames';
import { canDeleteForEveryone, quoteAuthor } from '../lifecycle/bubbleMessage';
import { DeleteMessageDialog } from '../lifecycle/DeleteMessageDialog';
import { ForwardDialog } from '../lifecycle/ForwardDialog';
import { MessageMenu } from '../lifecycle/MessageMenu';
import { useMessageMenu } from '../lifecycle/useMessageMenu';
import { buildGroupRows, type GroupRow } from './groupRows';
import { systemText } from './systemText';

/**
 * A group's history with the 1:1 chat's look and lifecycle (the same virtualized log,
 * bubbles, menu and dialogs): day separators, bubbles with the time in their corner, quotes,
 * "edited", countdowns and reactions; membership and timer changes as centred service lines.
 * Others' runs start with the sender's name in their colour. Older lines are loaded as the
 * user scrolls up. Text is rendered as text, never as HTML.
 */
export function GroupMessages({ group, messages }: { group: GroupView; messages: readonly GroupMessageView[] }) {
  const { t } = useTranslation();
  const locale = useFormattingLocale();
  const { reactInGroup, deleteGroupMessage, loadOlderGroupPage, revealGroupMessage } = useActions();
  const myUserId = useAppStore((s) => s.session.profile?.userId);
  const { hasMore, loadingOlder } = useAppStore((s) => s.groups.history[group.id] ?? NO_GROUP_HISTORY);
  const rows = useMemo(() => buildGroupRows(messages), [messages]);
  const react = useCallback(
    (message: GroupMessageView, emoji: Reaction | '') => void reactInGroup(message.groupId, message.id, emoji),
    [reactInGroup],
  );
  const { menu, dialog, openMenu, closeMenu, closeDialog, onReact, onMenuReact, onMenuAction } = useMessageMenu(
    group.id,
    react,
  );
  const active = group.status === 'active';
  const you = t('lifecycle.you');
  const loadOlder = useCallback(() => loadOlderGroupPage(group.id), [group.id, loadOlderGroupPage]);
  const reveal = useCallback(
    (messageId: string) => revealGroupMessage(group.id, messageId),
    [group.id, revealGroupMessage],
  );

  // Our own new message always comes into view, even if the user had scrolled up.
  const last = messages[messages.length - 1];
  const ownNewMessageId = last?.fromMe && last.status === 'sending' ? last.id : null;

  const renderRow = (row: GroupRow, { highlighted, jumpTo }: RowState) => {
    switch (row.kind) {
      case 'edge':
        return <HistoryEdge loading={loadingOlder} atBeginning={!hasMore} beginningNote={t('group.encryptedHint')} />;
      case 'day':
        return <DaySeparator at={row.at} locale={locale} />;
      case 'system': {
        const line = row.message;
        return line.kind === 'timer' ? (
          <TimerServiceLine seconds={line.expiresIn ?? 0} mine={line.fromMe} name={line.senderName} />
        ) : (
          <div className="service-line">
            <p className="service-line__text">
              <span>{systemText(t, line)}</span>
            </p>
          </div>
        );
      }
      case 'message': {
        const message = row.message;
        const showSender = row.firstInRun && !message.fromMe;
        return (
          <MessageBubble
            message={message}
            firstInGroup={row.firstInRun}
            lastInGroup={row.lastInRun}
            locale={locale}
            quoteName={quoteAuthor(message, { myUserId }, you)}
            senderName={showSender ? message.senderName : undefined}
            senderColor={showSender ? avatarColorIndex(message.senderId) : undefined}
            highlighted={highlighted}
            onOpenMenu={openMenu}
            onJumpTo={jumpTo}
            onReact={active ? onReact : undefined}
          />
        );
      }
    }
  };

  return (
    <ConversationLog
      rows={rows}
      label={t('group.messages')}
      className="message-list__scroller--group"
      estimateSize={estimateSize}
      messageIdOf={messageIdOf}
      renderRow={renderRow}
      hasOlder={hasMore}
      loadingOlder={loadingOlder}
      loadOlder={loadOlder}
      reveal={reveal}
      ownNewMessageId={ownNewMessageId}
    >
      {menu && (
        <MessageMenu
          message={menu.message}
          at={menu.at}
          canWrite={active}
          onAction={onMenuAction}
          onReact={onMenuReact}
          onClose={closeMenu}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteMessageDialog
          canDeleteForEveryone={canDeleteForEveryone(dialog.message, group)}
          forEveryoneNote={
            dialog.message.fromMe ? (
              t('lifecycle.deleteBodyGroup')
            ) : (
              <WithNames
                text={t('lifecycle.deleteBodyGroupModerator', { name: slot(0) })}
                names={[dialog.message.senderName]}
              />
            )
          }
          onDelete={(forEveryone) => deleteGroupMessage(group.id, dialog.message.id, forEveryone)}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'forward' && (
        <ForwardDialog from={{ groupId: group.id }} messageId={dialog.message.id} onClose={closeDialog} />
      )}
    </ConversationLog>
  );
}
