import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../shared/ipc/contract';
import { useActions, useAppStore } from '../../app/AppContext';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Avatar } from '../common/Avatar';
import { moveFocusInList } from '../common/listKeyboard';

const DEBOUNCE_MS = 250;

type Answer = { term: string; users: UserView[]; errorCode: null } | { term: string; users: null; errorCode: string };

interface SearchResultsProps {
  /** The normalised search term (see searchTerm). */
  term: string;
  /** Called once the chosen person's chat is open, to end the search. */
  onOpened(): void;
  listRef?: Ref<HTMLUListElement>;
}

/** People matching the search, one button each; choosing one opens the direct chat. */
export function SearchResults({ term, onOpened, listRef }: SearchResultsProps) {
  const { t } = useTranslation();
  const { searchUsers, openDirectChat } = useActions();
  const settledTerm = useDebouncedValue(term, DEBOUNCE_MS);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [openErrorCode, setOpenErrorCode] = useState<string | null>(null);
  // A search that failed while the core was offline (it is, briefly, right after sign-up)
  // is asked again when the relay connection comes back.
  const online = useAppStore((s) => s.connection.relay?.state === 'online');

  useEffect(() => {
    if (!settledTerm) return;
    let current = true;
    void searchUsers(settledTerm).then((result) => {
      // A slower answer to an older term must not replace a newer one.
      if (!current) return;
      setAnswer(
        result.ok
          ? { term: settledTerm, users: result.value, errorCode: null }
          : { term: settledTerm, users: null, errorCode: result.code },
      );
    });
    return () => {
      current = false;
    };
  }, [settledTerm, searchUsers, online]);

  const open = async (userId: string) => {
    setOpenErrorCode(null);
    const result = await openDirectChat(userId);
    if (result.ok) onOpened();
    else setOpenErrorCode(result.code);
  };

  const upToDate = answer !== null && answer.term === term;
  return (
    <div className="search-results">
      {openErrorCode && (
        <p role="alert" className="search-results__error">
          {t(errorMessageKey(openErrorCode))}
        </p>
      )}
      {!upToDate && <p className="search-results__note">{t('search.searching')}</p>}
      {upToDate && answer.errorCode !== null && (
        <p role="alert" className="search-results__error">
          {t(errorMessageKey(answer.errorCode))}
        </p>
      )}
      {upToDate && answer.users?.length === 0 && <p className="search-results__note">{t('search.noResults')}</p>}
      {upToDate && answer.users && answer.users.length > 0 && (
        <ul ref={listRef} className="search-results__list" aria-label={t('search.results')} onKeyDown={moveFocusInList}>
          {answer.users.map((user) => (
            <li key={user.userId}>
              <button type="button" className="person-row" onClick={() => void open(user.userId)}>
                <Avatar userId={user.userId} displayName={user.displayName} username={user.username} />
                <span className="person-row__names">
                  <span className="person-row__name">
                    <bdi>{user.displayName}</bdi>
                  </span>
                  <span className="person-row__username">
                    <bdi>@{user.username}</bdi>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
