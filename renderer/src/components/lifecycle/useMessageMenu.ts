/**
 * The message menu's state and actions, the same for a 1:1 chat and a group: which message's
 * menu is open (and where), which dialog (delete, forward) is open, and what each menu item
 * does — reply and edit go to the conversation's composer, copy to the clipboard.
 */
import { useCallback, useState } from 'react';
import { useAppStore } from '../../app/AppContext';
import type { Reaction } from '../../format/lifecycle';
import type { BubbleMessage } from './bubbleMessage';
import type { MessageMenuAction } from './MessageMenu';

export function useMessageMenu<M extends BubbleMessage>(
  conversationId: string,
  react: (message: M, emoji: Reaction | '') => void,
) {
  const setCompose = useAppStore((s) => s.setCompose);
  const setDraft = useAppStore((s) => s.setDraft);
  const [menu, setMenu] = useState<{ message: M; at: { x: number; y: number } } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'delete' | 'forward'; message: M } | null>(null);

  const openMenu = useCallback((message: M, at: { x: number; y: number }) => setMenu({ message, at }), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const closeDialog = useCallback(() => setDialog(null), []);
  const onMenuReact = (emoji: Reaction | '') => {
    const message = menu?.message;
    setMenu(null);
    if (message) react(message, emoji);
  };
  const onMenuAction = (action: MessageMenuAction) => {
    const message = menu?.message;
    setMenu(null);
    if (!message) return;
    switch (action) {
      case 'reply':
        setCompose(conversationId, { kind: 'reply', messageId: message.id });
        break;
      case 'edit':
        setCompose(conversationId, { kind: 'edit', messageId: message.id });
        setDraft(conversationId, message.text);
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

  return { menu, dialog, openMenu, closeMenu, closeDialog, onReact: react, onMenuReact, onMenuAction };
}
