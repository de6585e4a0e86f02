import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView as ChatViewModel } from '../../../../shared/ipc/contract';
import { useAppStore } from '../../app/AppContext';
import { securityNotice } from '../../store/securitySlice';
import { HeldSendingBanner } from '../security/HeldSendingBanner';
import { SafetyNumberDialog } from '../security/SafetyNumberDialog';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { useMarkChatRead } from './useMarkChatRead';

/**
 * An open conversation: header, messages, composer. Mounted per chat (keyed by id). While
 * sending is held after a key change, a banner above the composer says so.
 */
export function ChatView({ chat }: { chat: ChatViewModel }) {
  const { t } = useTranslation();
  const headingId = useId();
  const newestLoaded = useAppStore((s) => s.messages[chat.id]?.newestLoaded ?? false);
  const dialogOpen = useAppStore((s) => s.security.dialogChatId === chat.id);
  useMarkChatRead(chat.id);

  return (
    <section className="chat" aria-labelledby={headingId}>
      <ChatHeader chat={chat} headingId={headingId} />
      {newestLoaded ? (
        <MessageList chat={chat} />
      ) : (
        <p className="chat__loading">
          <span className="spinner" aria-hidden="true" />
          {t('chat.loading')}
        </p>
      )}
      {securityNotice(chat.security) === 'held' && <HeldSendingBanner chat={chat} />}
      <Composer chatId={chat.id} />
      {dialogOpen && <SafetyNumberDialog chat={chat} />}
    </section>
  );
}
