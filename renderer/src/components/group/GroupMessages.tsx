import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView, GroupView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { avatarColorIndex } from '../../format/avatar';
import { slot, type Reaction } from '../../format/lifecycle';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { DaySeparator } from '../chat/DaySeparator';
import { MessageBubble } from '../chat/MessageBubble';
import { TimerServiceLine } from '../chat/ServiceLine';
import { WithNames } from '../common/WithNames';
import { canDeleteForEveryone, quoteAuthor } from '../lifecycle/bubbleMessage';
import { DeleteMessageDialog } from '../lifecycle/DeleteMessageDialog';
import { ForwardDialog } from '../lifecycle/ForwardDialog';
import { MessageMenu, type MessageMenuAction } from '../lifecycle/MessageMenu';
import { buildGroupRows } from './groupRows';
import { systemText } from './systemText';

/** Counts as "at the bottom" (new lines keep the view pinned) within this distance. */
const AT_END_WITHIN_PX = 48;
/** How long a message jumped to (from a quote) stays highlighted. */
const HIGHLIGHT_MS = 1_500;

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A group's history with the 1:1 chat's look and lifecycle (the same bubbles, menu and
 * dialogs): day separators, bubbles with the time in their corner, quotes, "edited",
 * countdowns and reactions; membership and timer changes as centred service lines. Others'
 * runs start with the sender's name in their colour. Text is rendered as text, never as HTML.
 */
export function GroupMessages({ group, messages }: { group: GroupView; messages: readonly GroupMessageView[] }) {
  const { t } = useTranslation();
  const locale = useFormattingLocale();
  const { reactInGroup, deleteGroupMessage } = useActions();
  const setCompose = useAppStore((s) => s.setCompose);
  const setDraft = useAppStore((s) => s.setDraft);
  const myUserId = useAppStore((s) => s.session.profile?.userId);
  const rows = useMemo(() => buildGroupRows(messages), [messages]);
  const [menu, setMenu] = useState<{ message: GroupMessageView; at: { x: number; y: number } } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'delete' | 'forward'; message: GroupMessageView } | null>(null);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const atEnd = useRef(true);
  const active = group.status === 'active';
  const you = t('lifecycle.you');

  // Stay at the newest line while the user is there (new lines, reactions, a growing bubble);
  // our own new message always comes into view.
  const last = messages[messages.length - 1];
  const ownSending = last?.fromMe && last.status === 'sending' ? last.id : null;
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && (atEnd.current || ownSending)) list.scrollTop = list.scrollHeight;
  }, [messages, ownSending]);
  const onScroll = () => {
    const list = listRef.current;
    if (list) atEnd.current = list.scrollHeight - list.scrollTop - list.clientHeight <= AT_END_WITHIN_PX;
  };

  const openMenu = useCallback(
    (message: GroupMessageView, at: { x: number; y: number }) => setMenu({ message, at }),
    [],
  );
  const closeMenu = useCallback(() => setMenu(null), []);
  const onReact = useCallback(
    (message: GroupMessageView, emoji: Reaction | '') => void reactInGroup(message.groupId, message.id, emoji),
    [reactInGroup],
  );
  const jumpTo = useCallback((messageId: string) => {
    const row = listRef.current?.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    setHighlightedId(messageId);
    window.setTimeout(() => setHighlightedId((id) => (id === messageId ? null : id)), HIGHLIGHT_MS);
  }, []);

  const onMenuAction = (action: MessageMenuAction) => {
    const message = menu?.message;
    setMenu(null);
    if (!message) return;
    switch (action) {
      case 'reply':
        setCompose(group.id, { kind: 'reply', messageId: message.id });
        break;
      case 'edit':
        setCompose(group.id, { kind: 'edit', messageId: message.id });
        setDraft(group.id, message.text);
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

  return (
    <>
      <ol ref={listRef} className="group-messages" aria-label={t('group.messages')} onScroll={onScroll}>
        {rows.map((row) => {
          if (row.kind === 'day')
            return (
              <li key={row.key}>
                <DaySeparator at={row.at} locale={locale} />
              </li>
            );
          if (row.kind === 'system') {
            const line = row.message;
            return (
              <li key={row.key}>
                {line.kind === 'timer' ? (
                  <TimerServiceLine seconds={line.expiresIn ?? 0} mine={line.fromMe} name={line.senderName} />
                ) : (
                  <div className="service-line">
                    <p className="service-line__text">
                      <span>{systemText(t, line)}</span>
                    </p>
                  </div>
                )}
              </li>
            );
          }
          const message = row.message;
          const showSender = row.firstInRun && !message.fromMe;
          return (
            <li key={row.key}>
              <MessageBubble
                message={message}
                firstInGroup={row.firstInRun}
                lastInGroup={row.lastInRun}
                locale={locale}
                quoteName={quoteAuthor(message, { myUserId }, you)}
                senderName={showSender ? message.senderName : undefined}
                senderColor={showSender ? avatarColorIndex(message.senderId) : undefined}
                highlighted={message.id === highlightedId}
                onOpenMenu={openMenu}
                onJumpTo={jumpTo}
                onReact={active ? onReact : undefined}
              />
            </li>
          );
        })}
      </ol>
      {menu && (
        <MessageMenu
          message={menu.message}
          at={menu.at}
          canWrite={active}
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
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'forward' && (
        <ForwardDialog from={{ groupId: group.id }} messageId={dialog.message.id} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
