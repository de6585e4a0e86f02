import type { TFunction } from 'i18next';
import type { GroupMessageView } from '../../../../shared/ipc';

/** The words of a membership line ("Alice added Bob"), from the action it reports. */
export function systemText(t: TFunction, m: GroupMessageView): string {
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
