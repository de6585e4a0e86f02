import { useEffect, useMemo, useRef } from 'react';
import { useActions, useAppStore } from '../../app/AppContext';
import { useDocumentVisible } from '../../hooks/useDocumentVisible';
import { newestIncoming } from '../../store/selectors';

/**
 * While a chat is open and the window visible, tells the core the user has seen it up to
 * the newest message the peer sent, whenever it has unread messages (including ones that
 * arrive while it is open). Each message is reported once.
 */
export function useMarkChatRead(chatId: string): void {
  const { markRead } = useActions();
  const unread = useAppStore((s) => s.chats.byId[chatId]?.unread ?? 0);
  const items = useAppStore((s) => s.messages[chatId]?.items);
  const newestIncomingId = useMemo(() => (items ? newestIncoming(items)?.id : undefined), [items]);
  const visible = useDocumentVisible();
  const reported = useRef<string | null>(null);

  useEffect(() => {
    if (!visible || unread === 0 || !newestIncomingId || reported.current === newestIncomingId) return;
    reported.current = newestIncomingId;
    void markRead(chatId, newestIncomingId).then((ok) => {
      // Let a later change (the link coming back, a new message) try again.
      if (!ok && reported.current === newestIncomingId) reported.current = null;
    });
  }, [chatId, visible, unread, newestIncomingId, markRead]);
}
