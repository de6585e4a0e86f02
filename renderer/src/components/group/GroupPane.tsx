import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView } from '../../../../shared/ipc';
import { useAppStore } from '../../app/AppContext';
import { GroupComposer } from './GroupComposer';
import { GroupHeader } from './GroupHeader';
import { GroupMessages } from './GroupMessages';
import { MemberPanel } from './MemberPanel';
import { useMarkGroupRead } from './useMarkGroupRead';
import '../chat/Chat.css';
import '../lifecycle/Lifecycle.css';
import './Group.css';

const EMPTY: readonly GroupMessageView[] = [];

/** One group: header (name, typing, members, E2EE, timer), messages with sender names, service lines, composer. */
export function GroupPane({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const group = useAppStore((s) => s.groups.byId[groupId]);
  const messages = useAppStore((s) => s.groups.messages[groupId] ?? EMPTY);
  const [showMembers, setShowMembers] = useState(false);
  useMarkGroupRead(groupId);
  if (!group) return <main className="chat-pane" />;
  const active = group.status === 'active';
  return (
    <main className="chat-pane group-pane" aria-labelledby={headingId}>
      <GroupHeader
        group={group}
        headingId={headingId}
        showMembers={showMembers}
        onToggleMembers={() => setShowMembers((v) => !v)}
      />
      {group.membershipMismatch && (
        <p role="alert" className="group-pane__warning">
          {t('group.mismatch')}
        </p>
      )}
      <div className="group-pane__body">
        <div className="group-pane__main">
          <GroupMessages key={group.id} group={group} messages={messages} />
          {active ? (
            <GroupComposer key={group.id} groupId={group.id} messages={messages} />
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
