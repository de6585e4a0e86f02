import { useEffect } from 'react';
import { useActions, useAppStore } from '../../app/AppContext';
import { ChannelPane } from '../channel/ChannelPane';
import { ChatPane } from '../chat/ChatPane';
import { GroupPane } from '../group/GroupPane';
import { Sidebar } from '../sidebar/Sidebar';
import './MainScreen.css';

/** Signed in: the sidebar beside the chat pane. */
export function MainScreen() {
  const { loadMainScreen } = useActions();
  // A channel shows when one is chosen and no chat is (choosing a chat closes it).
  const channelId = useAppStore((s) => (s.ui.selectedChatId ? null : s.channels.selectedId));
  // A group shows when one is chosen and no chat or channel is.
  const groupId = useAppStore((s) => (s.ui.selectedChatId || s.channels.selectedId ? null : s.groups.selectedId));
  useEffect(() => {
    void loadMainScreen();
  }, [loadMainScreen]);
  return (
    <div className="main-screen">
      <Sidebar />
      {channelId ? <ChannelPane channelId={channelId} /> : groupId ? <GroupPane groupId={groupId} /> : <ChatPane />}
    </div>
  );
}
