import { useEffect } from 'react';
import { useActions } from '../../app/AppContext';
import { ChatPane } from '../chat/ChatPane';
import { Sidebar } from '../sidebar/Sidebar';
import './MainScreen.css';

/** Signed in: the sidebar beside the chat pane. */
export function MainScreen() {
  const { loadMainScreen } = useActions();
  useEffect(() => {
    void loadMainScreen();
  }, [loadMainScreen]);
  return (
    <div className="main-screen">
      <Sidebar />
      <ChatPane />
    </div>
  );
}
