import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from '../icons/CloseIcon';
import { SearchIcon } from '../icons/SearchIcon';

interface SearchBoxProps {
  value: string;
  onChange(value: string): void;
  /** Down arrow leaves the box for the first result. */
  onArrowDown(): void;
}

export function SearchBox({ value, onChange, onArrowDown }: SearchBoxProps) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && value) {
      event.preventDefault();
      onChange('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      onArrowDown();
    }
  };
  return (
    <div className="search-box">
      <SearchIcon className="search-box__icon" />
      <input
        type="search"
        className="search-box__input"
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
      />
      {value && (
        <button type="button" className="icon-button search-box__clear" onClick={() => onChange('')}>
          <CloseIcon />
          <span className="visually-hidden">{t('search.clear')}</span>
        </button>
      )}
    </div>
  );
}
