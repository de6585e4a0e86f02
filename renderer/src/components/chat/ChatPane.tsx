import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/AppContext';
import { ChatView } from './ChatView';
import './Chat.css';

/** The right-hand side: the open chat, or an invitation to open one. */
export function ChatPane() {
  const { t } = useTranslation();
  const chat = useAppStore((s) => (s.ui.selectedChatId ? s.chats.byId[s.ui.selectedChatId] : undefined));
  return (
    <main className="chat-pane">
      {chat ? (
        <ChatView key={chat.id} chat={chat} />
      ) : (
        <div className="chat-pane__empty">
          <p className="chat-pane__empty-note">{t('chat.noneOpen')}</p>
        </div>
      )}
    </main>
  );
}
