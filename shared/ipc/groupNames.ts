/** Group request and event names (kept apart so names.ts stays a short list of wiring lines). */
export const GROUP_REQUEST_NAMES = [
  'groups.list',
  'groups.create',
  'groups.addMembers',
  'groups.removeMember',
  'groups.leave',
  'groups.setRole',
  'groups.rename',
  'groups.createInvite',
  'groups.revokeInvite',
  'groups.joinByInvite',
  'groups.approve',
  'groups.members',
  'groups.history',
  'groups.send',
  'groups.markRead',
  'groups.edit',
  'groups.deleteForMe',
  'groups.deleteForEveryone',
  'groups.react',
  'groups.setTimer',
  'groups.saveDraft',
  'groups.typing',
  'groups.forward',
] as const;

export const GROUP_EVENT_NAMES = ['group.updated', 'group.message', 'group.messageRemoved', 'group.typing'] as const;
