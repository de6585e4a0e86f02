import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelSummaryView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { moveFocusInList } from '../common/listKeyboard';
import { ChannelAvatar } from './ChannelAvatar';

const DEBOUNCE_MS = 250;

/** Public channels matching the search; choosing one opens it (a preview until subscribed). */
export function ChannelSearchResults({ term, onOpened }: { term: string; onOpened(): void }) {
  const { t } = useTranslation();
  const { searchChannels, openChannel } = useActions();
  const settledTerm = useDebouncedValue(term, DEBOUNCE_MS);
  const [found, setFound] = useState<{ term: string; channels: ChannelSummaryView[] } | null>(null);
  const online = useAppStore((s) => s.connection.relay?.state === 'online');

  useEffect(() => {
    if (!settledTerm) return;
    let current = true;
    void searchChannels(settledTerm).then((result) => {
      if (current && result.ok) setFound({ term: settledTerm, channels: result.value });
    });
    return () => {
      current = false;
    };
  }, [settledTerm, searchChannels, online]);

  if (!found || found.term !== term || found.channels.length === 0) return null;
  return (
    <div className="search-results channel-search">
      <h2 className="channel-search__heading">{t('channel.searchHeading')}</h2>
      <ul className="search-results__list" aria-label={t('channel.searchResults')} onKeyDown={moveFocusInList}>
        {found.channels.map((channel) => (
          <li key={channel.id}>
            <button
              type="button"
              className="person-row"
              onClick={() => {
                openChannel(channel.id);
                onOpened();
              }}
            >
              <ChannelAvatar
                channelId={channel.id}
                title={channel.title}
                avatarKey={channel.hasAvatar ? 'relay' : undefined}
              />
              <span className="person-row__names">
                <span className="person-row__name">
                  <bdi>{channel.title}</bdi>
                </span>
                <span className="person-row__username">
                  {channel.handle && <bdi>@{channel.handle}</bdi>}{' '}
                  {t('channel.subscribers', { count: channel.subscribers })}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
