import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMemberView, GroupView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Avatar } from '../common/Avatar';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { CloseIcon } from '../icons/CloseIcon';
import { CopyIcon } from '../icons/CopyIcon';
import { isGroupAdmin } from '../lifecycle/bubbleMessage';
import { AddMembersDialog } from './CreateGroupDialog';

type Result = { ok: true } | { ok: false; code: string };

/**
 * Who is in the group: avatar, name, @username and a role badge per row; admins get
 * compact per-row actions, rename, invite links and join requests. Leaving asks first.
 */
export function MemberPanel({ group, onClose }: { group: GroupView; onClose(): void }) {
  const { t } = useTranslation();
  const { loadGroupMembers, removeGroupMember, setGroupRole, leaveGroup, approveGroupMember } = useActions();
  const entry = useAppStore((s) => s.groups.members[group.id]);
  const [adding, setAdding] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadGroupMembers(group.id);
  }, [group.id, loadGroupMembers]);
  const active = group.status === 'active';
  const isAdmin = isGroupAdmin(group);
  const isOwner = active && group.role === 'owner';
  const run = async (p: Promise<Result>): Promise<boolean> => {
    setBusy(true);
    const result = await p;
    setBusy(false);
    setError(result.ok ? null : t(errorMessageKey(result.code)));
    return result.ok;
  };
  const roleLabel = (m: GroupMemberView) =>
    m.role === 'owner' ? t('group.role.owner') : m.role === 'admin' ? t('group.role.admin') : t('group.role.member');
  const members = entry?.members ?? [];
  const pending = entry?.pending ?? [];
  return (
    <aside className="group-members" aria-label={t('group.memberList')}>
      <div className="group-members__head">
        <h3>{t('group.memberList')}</h3>
        <button type="button" className="icon-button" aria-label={t('group.closeMembers')} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {isAdmin && <RenameGroup group={group} />}
      {error && (
        <p role="alert" className="group-members__error">
          {error}
        </p>
      )}
      <ul className="group-members__list">
        {members.map((m) => (
          <li key={m.userId} className="group-member">
            <Avatar userId={m.userId} displayName={m.displayName} username={m.username} size="small" />
            <div className="group-member__text">
              <span className="group-member__name-line">
                <span className="group-member__name">
                  <bdi>{m.isMe ? t('group.you') : m.displayName}</bdi>
                </span>
                {m.role !== 'member' && (
                  <span className={`group-member__role group-member__role--${m.role}`}>{roleLabel(m)}</span>
                )}
              </span>
              <span className="group-member__sub">
                <bdi>@{m.username}</bdi>
                {m.keyChanged && <span className="group-member__warn"> · {t('group.keyChanged')}</span>}
              </span>
            </div>
            {!m.isMe && isOwner && m.role !== 'owner' && (
              <button
                type="button"
                className={`icon-button group-member__action${m.role === 'admin' ? ' group-member__action--on' : ''}`}
                aria-label={t(m.role === 'admin' ? 'group.demoteNamed' : 'group.promoteNamed', { name: m.displayName })}
                title={t(m.role === 'admin' ? 'group.demote' : 'group.promote')}
                disabled={busy}
                onClick={() => void run(setGroupRole(group.id, m.userId, m.role === 'admin' ? 'member' : 'admin'))}
              >
                <span aria-hidden="true">{m.role === 'admin' ? '★' : '☆'}</span>
              </button>
            )}
            {!m.isMe && isAdmin && m.role !== 'owner' && (isOwner || m.role === 'member') && (
              <button
                type="button"
                className="icon-button group-member__action group-member__action--danger"
                aria-label={t('group.removeNamed', { name: m.displayName })}
                title={t('group.remove')}
                disabled={busy}
                onClick={() => void run(removeGroupMember(group.id, m.userId))}
              >
                <CloseIcon />
              </button>
            )}
          </li>
        ))}
      </ul>
      {isAdmin && pending.length > 0 && (
        <section className="group-members__section" aria-label={t('group.pending')}>
          <h4>{t('group.pending')}</h4>
          <ul className="group-members__list">
            {pending.map((m) => (
              <li key={m.userId} className="group-member">
                <Avatar userId={m.userId} displayName={m.displayName} username={m.username} size="small" />
                <div className="group-member__text">
                  <span className="group-member__name">
                    <bdi>{m.displayName}</bdi>
                  </span>
                  <span className="group-member__sub">
                    <bdi>@{m.username}</bdi>
                  </span>
                </div>
                <button
                  type="button"
                  className="button button--primary button--small"
                  aria-label={t('group.approveNamed', { name: m.displayName })}
                  disabled={busy}
                  onClick={() => void run(approveGroupMember(group.id, m.userId))}
                >
                  {t('group.approve')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {isAdmin && <InviteLinks group={group} />}
      <div className="group-members__actions">
        {isAdmin && (
          <button type="button" className="button button--secondary button--small" onClick={() => setAdding(true)}>
            {t('group.addMembers')}
          </button>
        )}
        {active && group.role !== 'owner' && (
          <button
            type="button"
            className="button button--small group-members__leave"
            onClick={() => setConfirmLeave(true)}
          >
            {t('group.leave')}
          </button>
        )}
      </div>
      {adding && <AddMembersDialog groupId={group.id} onClose={() => setAdding(false)} />}
      {confirmLeave && (
        <ConfirmDialog
          title={t('group.leaveTitle', { name: group.name })}
          body={t('group.leaveBody')}
          confirmLabel={t('group.leave')}
          danger
          busy={busy}
          error={error}
          onCancel={() => setConfirmLeave(false)}
          onConfirm={() => void run(leaveGroup(group.id)).then((ok) => ok && setConfirmLeave(false))}
        />
      )}
    </aside>
  );
}

/** Admins rename the group in place: the name, then an edit form with Save and Cancel. */
function RenameGroup({ group }: { group: GroupView }) {
  const { t } = useTranslation();
  const { renameGroup } = useActions();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(group.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  if (!editing)
    return (
      <div className="group-rename">
        <span className="group-rename__name">
          <bdi>{group.name}</bdi>
        </span>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            setName(group.name);
            setError(null);
            setEditing(true);
          }}
        >
          {t('group.rename')}
        </button>
      </div>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value) return;
    if (value === group.name) {
      setEditing(false);
      return;
    }
    setBusy(true);
    const result = await renameGroup(group.id, value);
    setBusy(false);
    if (result.ok) setEditing(false);
    else setError(t(errorMessageKey(result.code)));
  };
  return (
    <form className="group-rename group-rename--editing" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('group.name')}
      </label>
      <input
        id={id}
        className="group-field"
        value={name}
        maxLength={128}
        autoFocus
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setEditing(false))}
      />
      <div className="group-rename__buttons">
        <button type="submit" className="button button--primary button--small" disabled={busy || !name.trim()}>
          {t('group.save')}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={() => setEditing(false)}>
          {t('group.cancel')}
        </button>
      </div>
      {error && (
        <p role="alert" className="group-members__error">
          {error}
        </p>
      )}
    </form>
  );
}

/** Admins: make an invite link (optionally needing approval), copy it, revoke live ones. */
function InviteLinks({ group }: { group: GroupView }) {
  const { t } = useTranslation();
  const { createGroupInvite, revokeGroupInvite } = useActions();
  const [approval, setApproval] = useState(false);
  const [created, setCreated] = useState<{ link: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const linkId = useId();
  const create = async () => {
    setBusy(true);
    const result = await createGroupInvite(group.id, approval);
    setBusy(false);
    setCopied(false);
    if (result.ok) {
      setCreated(result.value);
      setError(null);
    } else setError(t(errorMessageKey(result.code)));
  };
  const revoke = async (token: string) => {
    setBusy(true);
    const result = await revokeGroupInvite(group.id, token);
    setBusy(false);
    if (result.ok) {
      if (created?.token === token) setCreated(null);
      setError(null);
    } else setError(t(errorMessageKey(result.code)));
  };
  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setError(t('group.copyFailed'));
    }
  };
  return (
    <section className="group-members__section" aria-label={t('group.inviteLinks')}>
      <h4>{t('group.inviteLinks')}</h4>
      {created && (
        <div className="group-invite__created">
          <label htmlFor={linkId} className="visually-hidden">
            {t('group.inviteLink')}
          </label>
          <input id={linkId} className="group-field" readOnly value={created.link} onFocus={(e) => e.target.select()} />
          <button
            type="button"
            className="icon-button"
            aria-label={copied ? t('group.copied') : t('group.copyLink')}
            title={copied ? t('group.copied') : t('group.copyLink')}
            onClick={() => void copy(created.link)}
          >
            <CopyIcon />
          </button>
        </div>
      )}
      {copied && (
        <p className="group-invite__note" role="status">
          {t('group.copied')}
        </p>
      )}
      {group.invites.length > 0 && (
        <ul className="group-members__list">
          {group.invites.map((invite, index) => (
            <li key={invite.token} className="group-invite">
              <span className="group-invite__label">
                {t('group.inviteNumbered', { number: index + 1 })}
                {invite.approval && <span className="group-invite__approval">{t('group.approvalShort')}</span>}
              </span>
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t('group.revokeNumbered', { number: index + 1 })}
                disabled={busy}
                onClick={() => void revoke(invite.token)}
              >
                {t('group.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="group-invite__check">
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} />
        {t('group.approvalRequired')}
      </label>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={busy}
        onClick={() => void create()}
      >
        {t('group.createInvite')}
      </button>
      {error && (
        <p role="alert" className="group-members__error">
          {error}
        </p>
      )}
    </section>
  );
}
