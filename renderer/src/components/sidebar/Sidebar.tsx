import { useRef, useState } from 'react';
import { ChannelSearchResults } from '../channel/ChannelSearchResults';
import { SidebarChannelActions } from '../channel/SidebarChannelActions';
import { SidebarGroupActions } from '../group/CreateGroupDialog';
import { ChatList } from '../chatList/ChatList';
import { ProfileCard } from './ProfileCard';
import { SearchBox } from './SearchBox';
import { SearchResults } from './SearchResults';
import { searchTerm } from './searchTerm';
import './Sidebar.css';

/** The left column: you, the search box, and either the chat list or search results. */
export function Sidebar() {
  const [query, setQuery] = useState('');
  const resultsRef = useRef<HTMLUListElement>(null);
  const term = searchTerm(query);
  return (
    <div className="sidebar">
      <ProfileCard />
      <SearchBox
        value={query}
        onChange={setQuery}
        onArrowDown={() => resultsRef.current?.querySelector('button')?.focus()}
      />
      {term ? (
        <>
          <SearchResults term={term} onOpened={() => setQuery('')} listRef={resultsRef} />
          <ChannelSearchResults term={term} onOpened={() => setQuery('')} />
        </>
      ) : (
        <>
          <SidebarChannelActions />
          <SidebarGroupActions />
          <ChatList />
        </>
      )}
    </div>
  );
}
