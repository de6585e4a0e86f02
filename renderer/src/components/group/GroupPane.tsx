import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMemberView, GroupMessageView, GroupView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { avatarColorIndex } from '../../format/avatar';
import { errorMessageKey } from '../../i18n/errorMessages';
import { Avatar } from '../common/Avatar';
import { AddMembersDialog } from './CreateGroupDialog';
import './Group.css';

const EMPTY: readonly GroupMessageView[] = [];

/** One group: header (name, members, E2EE), messages with sender names, system lines, composer. */
export function GroupPane({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const group = useAppStore((s) => s.groups.byId[groupId]);
  const messages = useAppStore((s) => s.groups.messages[groupId] ?? EMPTY);
  const [showMembers, setShowMembers] = useState(false);
  if (!group) return <main className="chat-pane" />;
  const active = group.status === 'active';
  return (
    <main className="chat-pane group-pane" aria-label={group.name}>
      <header className="group-pane__header">
        <Avatar userId={group.id} displayName={group.name} />
        <div className="group-pane__title">
          <h2>
            <bdi>{group.name}</bdi>
          </h2>
          <p className="group-pane__sub">
            {t('group.memberCount', { count: group.memberCount })} · <span>{t('group.encrypted')}</span>
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-expanded={showMembers}
          onClick={() => setShowMembers((v) => !v)}
        >
          {t('group.members')}
        </button>
      </header>
      {group.membershipMismatch && (
        <p role="alert" className="group-pane__warning">
          {t('group.mismatch')}
        </p>
      )}
      <div className="group-pane__body">
        <div className="group-pane__main">
          <GroupMessages messages={messages} />
          {active ? (
            <GroupComposer groupId={group.id} />
          ) : (
            <p className="group-pane__removed" role="status">
              {group.status === 'removed' ? t('group.removedNotice') : t('group.leftNotice')}
            </p>
          )}
        </div>
        {showMembers && <MemberPanel group={group} />}
      </div>
    </main>
  );
}

function GroupMessages({ messages }: { messages: readonly GroupMessageView[] }) {
  const { t } = useTranslation();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length]);
  return (
    <ol className="group-messages" aria-label={t('group.messages')}>
      {messages.map((m) =>
        m.kind === 'system' ? (
          <li key={m.id} className="group-line">
            {systemText(t, m)}
          </li>
        ) : (
          <li key={m.id} className={`group-message${m.fromMe ? ' group-message--mine' : ''}`}>
            <div className="group-message__bubble">
              {!m.fromMe && (
                <span className={`group-message__sender group-sender--c${avatarColorIndex(m.senderId)}`}>
                  <bdi>{m.senderName}</bdi>
                </span>
              )}
              <span className="group-message__text" dir="auto">
                {m.text}
              </span>
              <span className="group-message__meta">
                {m.status === 'sending' ? t('group.sending') : m.status === 'failed' ? t('group.failed') : ''}
              </span>
            </div>
          </li>
        ),
      )}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function systemText(t: T, m: GroupMessageView): string {
  const s = m.system;
  if (!s) return '';
  const actor = m.fromMe ? t('group.you') : s.actorName;
  const targets = s.targetNames.join(', ');
  switch (s.action) {
    case 'create':
      return t('group.line.create', { actor, name: s.name ?? '' });
    case 'add':
      return t('group.line.add', { actor, targets });
    case 'remove':
      return s.aboutMe ? t('group.line.removedYou', { actor }) : t('group.line.remove', { actor, targets });
    case 'leave':
      return t('group.line.leave', { actor });
    case 'join':
      return t('group.line.join', { actor });
    case 'promote':
      return t('group.line.promote', { actor, targets });
    case 'demote':
      return t('group.line.demote', { actor, targets });
    case 'rename':
      return t('group.line.rename', { actor, name: s.name ?? '' });
    case 'invite':
      return t('group.line.invite', { actor });
    case 'revoke':
      return t('group.line.revoke', { actor });
  }
}

function GroupComposer({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const { sendGroupMessage } = useActions();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    const result = await sendGroupMessage(groupId, value);
    if (!result.ok) {
      setText(value);
      setError(t(errorMessageKey(result.code)));
    } else setError(null);
  };
  return (
    <form className="composer" onSubmit={submit}>
      {error && (
        <p role="alert" className="composer__failure">
          {error}
        </p>
      )}
      <div className="composer__box">
        <label htmlFor={id} className="visually-hidden">
          {t('group.messageLabel')}
        </label>
        <input
          id={id}
          className="group-composer__input"
          value={text}
          placeholder={t('group.messagePlaceholder')}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="button" disabled={!text.trim()}>
          {t('group.send')}
        </button>
      </div>
    </form>
  );
}

function MemberPanel({ group }: { group: GroupView }) {
  const { t } = useTranslation();
  const { loadGroupMembers, removeGroupMember, setGroupRole, leaveGroup, addGroupMembers } = useActions();
  const entry = useAppStore((s) => s.groups.members[group.id]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadGroupMembers(group.id);
  }, [group.id, loadGroupMembers]);
  const isAdmin = group.status === 'active' && (group.role === 'owner' || group.role === 'admin');
  const isOwner = group.status === 'active' && group.role === 'owner';
  const run = async (p: Promise<{ ok: boolean; code?: string }>) => {
    const result = await p;
    setError(result.ok ? null : t(errorMessageKey((result as { code: string }).code)));
  };
  const roleLabel = (m: GroupMemberView) =>
    m.role === 'owner' ? t('group.role.owner') : m.role === 'admin' ? t('group.role.admin') : t('group.role.member');
  return (
    <aside className="group-members" aria-label={t('group.memberList')}>
      <h3>{t('group.memberList')}</h3>
      {error && <p role="alert">{error}</p>}
      <ul>
        {(entry?.members ?? []).map((m) => (
          <li key={m.userId} className="group-members__item">
            <Avatar userId={m.userId} displayName={m.displayName} username={m.username} size="small" />
            <span className="group-members__name">
              <bdi>{m.isMe ? t('group.you') : m.displayName}</bdi>
              {m.keyChanged && <span className="group-members__warn"> · {t('group.keyChanged')}</span>}
            </span>
            <span className="group-members__role">{roleLabel(m)}</span>
            {!m.isMe && isOwner && m.role !== 'owner' && (
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t(m.role === 'admin' ? 'group.demoteNamed' : 'group.promoteNamed', { name: m.displayName })}
                onClick={() => void run(setGroupRole(group.id, m.userId, m.role === 'admin' ? 'member' : 'admin'))}
              >
                {t(m.role === 'admin' ? 'group.demote' : 'group.promote')}
              </button>
            )}
            {!m.isMe && isAdmin && m.role !== 'owner' && (isOwner || m.role === 'member') && (
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t('group.removeNamed', { name: m.displayName })}
                onClick={() => void run(removeGroupMember(group.id, m.userId))}
              >
                {t('group.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {isAdmin && (entry?.pending.length ?? 0) > 0 && (
        <>
          <h4>{t('group.pending')}</h4>
          <ul>
            {entry!.pending.map((m) => (
              <li key={m.userId} className="group-members__item">
                <span className="group-members__name">{m.displayName}</span>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void run(addGroupMembers(group.id, [m.userId]))}
                >
                  {t('group.approve')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="group-members__actions">
        {isAdmin && (
          <button type="button" className="button button--small" onClick={() => setAdding(true)}>
            {t('group.addMembers')}
          </button>
        )}
        {group.status === 'active' && group.role !== 'owner' && (
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void run(leaveGroup(group.id))}
          >
            {t('group.leave')}
          </button>
        )}
      </div>
      {adding && <AddMembersDialog groupId={group.id} onClose={() => setAdding(false)} />}
    </aside>
  );
}
