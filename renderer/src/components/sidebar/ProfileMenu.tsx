import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { KeyIcon } from '../icons/KeyIcon';
import { MoreIcon } from '../icons/MoreIcon';
import { ResetKeysDialog } from '../security/ResetKeysDialog';

/** How long the "keys were reset" note stays up. */
const DONE_NOTE_MS = 5_000;

/**
 * The profile card's "more" menu (a menu button: Enter/Space/Down open it on the first
 * item, arrows move, Esc or a click outside closes it and focus goes back to the button).
 */
export function ProfileMenu() {
  const { t } = useTranslation();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [resetDone, setResetDone] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const { loadSettings, setGlobalReadReceipts } = useActions();
  const [readReceipts, setReadReceipts] = useState<boolean | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void loadSettings().then((result) => {
      if (live && result.ok) setReadReceipts(result.value.readReceipts);
    });
    return () => {
      live = false;
    };
  }, [open, loadSettings]);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  useEffect(() => {
    if (!resetDone) return;
    const timer = setTimeout(() => setResetDone(false), DONE_NOTE_MS);
    return () => clearTimeout(timer);
  }, [resetDone]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const items = Array.from(
      event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"]'),
    );
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 };
    if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      close();
    } else if (event.key in move && items.length > 0) {
      event.preventDefault();
      items[(move[event.key]! + items.length) % items.length]?.focus();
    }
  };

  const chooseReset = () => {
    // Focus goes back to the menu button first, so the dialog returns it there when it closes.
    close();
    setConfirmingReset(true);
  };

  return (
    <div className="profile-menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button profile-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <MoreIcon />
        <span className="visually-hidden">{t('sidebar.menu')}</span>
      </button>
      {open && (
        <ul
          ref={menuRef}
          id={menuId}
          className="profile-menu__list"
          role="menu"
          aria-label={t('sidebar.menu')}
          onKeyDown={onMenuKeyDown}
        >
          <li role="none">
            <button type="button" role="menuitem" className="profile-menu__item" tabIndex={-1} onClick={chooseReset}>
              <KeyIcon className="profile-menu__item-icon" />
              {t('sidebar.resetKeys')}
            </button>
          </li>
          <li role="none">
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={readReceipts ?? true}
              className="profile-menu__item"
              tabIndex={-1}
              disabled={readReceipts === null}
              onClick={() => {
                const next = !(readReceipts ?? true);
                setReadReceipts(next);
                void setGlobalReadReceipts(next);
              }}
            >
              <span className="profile-menu__item-icon" aria-hidden="true">
                {readReceipts === false ? '○' : '✓'}
              </span>
              {t('lifecycle.readReceiptsGlobal')}
            </button>
          </li>
        </ul>
      )}
      {confirmingReset && (
        <ResetKeysDialog
          onDone={(reset) => {
            setConfirmingReset(false);
            setResetDone(reset);
          }}
        />
      )}
      <p className="profile-menu__note" role="status">
        {resetDone && t('resetKeys.done')}
      </p>
    </div>
  );
}
