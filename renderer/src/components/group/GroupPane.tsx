import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView } from '../../../../shared/ipc';
import { useAppStore } from '../../app/AppContext';
import { Avatar } from '../common/Avatar';
import { LockIcon } from '../icons/LockIcon';
import { GroupComposer } from './GroupComposer';
import { GroupMessages } from './GroupMessages';
import { MemberPanel } from './MemberPanel';
import '../chat/Chat.css';
import './Group.css';

const EMPTY: readonly GroupMessageView[] = [];

/** One group: header (name, members, E2EE), messages with sender names, service lines, composer. */
export function GroupPane({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const group = useAppStore((s) => s.groups.byId[groupId]);
  const messages = useAppStore((s) => s.groups.messages[groupId] ?? EMPTY);
  const [showMembers, setShowMembers] = useState(false);
  if (!group) return <main className="chat-pane" />;
  const active = group.status === 'active';
  return (
    <main className="chat-pane group-pane" aria-label={group.name}>
      <header className="chat-header">
        <Avatar userId={group.id} displayName={group.name} size="small" />
        <div className="chat-header__titles">
          <h2 className="chat-header__name">
            <bdi>{group.name}</bdi>
          </h2>
          <p className="chat-header__username group-pane__sub" title={t('group.encryptedHint')}>
            {t('group.memberCount', { count: group.memberCount })} ·{' '}
            <span className="group-pane__e2e">
              <LockIcon className="group-pane__lock" />
              {t('group.encrypted')}
            </span>
          </p>
        </div>
        <button
          type="button"
          className={`button button--small ${showMembers ? 'button--primary' : 'button--secondary'}`}
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
        {showMembers && <MemberPanel group={group} onClose={() => setShowMembers(false)} />}
      </div>
    </main>
  );
}
