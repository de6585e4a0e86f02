import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Modal } from '../common/Modal';

/** Pick people: contacts from the chat list, plus @username search. */
function MemberPicker({
  picked,
  onToggle,
  exclude,
}: {
  picked: ReadonlyMap<string, UserView>;
  onToggle(user: UserView): void;
  exclude: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const { searchUsers } = useActions();
  const chats = useAppStore((s) => s.chats.byId);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<UserView[]>([]);
  const searchId = useId();
  useEffect(() => {
    const q = query.trim();
    if (q.length < 1) return;
    let live = true;
    void searchUsers(q).then((result) => {
      if (live && result.ok) setFound(result.value);
    });
    return () => {
      live = false;
    };
  }, [query, searchUsers]);
  const contacts = Object.values(chats).map((c) => c.peer);
  const seen = new Set<string>();
  const people = [...picked.values(), ...(query.trim() ? found : []), ...contacts].filter((u) => {
    if (seen.has(u.userId) || exclude.has(u.userId)) return false;
    seen.add(u.userId);
    return true;
  });
  return (
    <div className="group-picker">
      <label htmlFor={searchId}>{t('group.searchPeople')}</label>
      <input id={searchId} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      <ul className="group-picker__list" aria-label={t('group.people')}>
        {people.map((u) => (
          <li key={u.userId}>
            <label>
              <input type="checkbox" checked={picked.has(u.userId)} onChange={() => onToggle(u)} />{' '}
              <bdi>{u.displayName}</bdi> <span className="group-picker__handle">@{u.username}</span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

function usePicked() {
  const [picked, setPicked] = useState<Map<string, UserView>>(new Map());
  const toggle = (user: UserView) =>
    setPicked((current) => {
      const next = new Map(current);
      if (next.has(user.userId)) next.delete(user.userId);
      else next.set(user.userId, user);
      return next;
    });
  return { picked, toggle };
}

/** "New group": a name and the first members. */
export function CreateGroupDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { createGroup } = useActions();
  const [name, setName] = useState('');
  const { picked, toggle } = usePicked();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const nameId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await createGroup(name.trim(), [...picked.keys()]);
    setBusy(false);
    if (result.ok) onClose();
    else setError(t(errorMessageKey(result.code)));
  };
  return (
    <Modal labelledBy={titleId} onClose={onClose} className="group-dialog">
      <form onSubmit={submit}>
        <h2 id={titleId}>{t('group.newGroup')}</h2>
        <p className="group-dialog__note">{t('group.encryptedHint')}</p>
        <label htmlFor={nameId}>{t('group.name')}</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} />
        <MemberPicker picked={picked} onToggle={toggle} exclude={new Set()} />
        {error && <p role="alert">{error}</p>}
        <div className="group-dialog__buttons">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('group.cancel')}
          </button>
          <button type="submit" className="button" disabled={busy || !name.trim()}>
            {t('group.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Admins: add people to a group. */
export function AddMembersDialog({ groupId, onClose }: { groupId: string; onClose(): void }) {
  const { t } = useTranslation();
  const { addGroupMembers } = useActions();
  const members = useAppStore((s) => s.groups.members[groupId]?.members);
  const { picked, toggle } = usePicked();
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const exclude = new Set((members ?? []).map((m) => m.userId));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await addGroupMembers(groupId, [...picked.keys()]);
    if (result.ok) onClose();
    else setError(t(errorMessageKey(result.code)));
  };
  return (
    <Modal labelledBy={titleId} onClose={onClose} className="group-dialog">
      <form onSubmit={submit}>
        <h2 id={titleId}>{t('group.addMembers')}</h2>
        <MemberPicker picked={picked} onToggle={toggle} exclude={exclude} />
        {error && <p role="alert">{error}</p>}
        <div className="group-dialog__buttons">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('group.cancel')}
          </button>
          <button type="submit" className="button" disabled={picked.size === 0}>
            {t('group.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** "New group" above the chat list. */
export function SidebarGroupActions() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div className="sidebar-channel-actions">
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
        {t('group.newGroup')}
      </button>
      {open && <CreateGroupDialog onClose={() => setOpen(false)} />}
    </div>
  );
}
