import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatView as ChatViewModel } from '../../../../shared/ipc/contract';
import { useAppStore } from '../../app/AppContext';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { useMarkChatRead } from './useMarkChatRead';

/** An open conversation: header, messages, composer. Mounted per chat (keyed by id). */
export function ChatView({ chat }: { chat: ChatViewModel }) {
  const { t } = useTranslation();
  const headingId = useId();
  const newestLoaded = useAppStore((s) => s.messages[chat.id]?.newestLoaded ?? false);
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
      <Composer chatId={chat.id} />
    </section>
  );
}
