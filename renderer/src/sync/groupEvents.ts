/** Group events into the store (wired into the event router). */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';

export function groupEventSubscriptions(bridge: ParleyBridge, store: AppStore): (() => void)[] {
  const state = () => store.getState();
  return [
    bridge.on('group.updated', (group) => {
      const before = state().groups.byId[group.id];
      state().upsertGroup(group);
      // Membership or roles changed: an open member list reloads.
      const open = state().groups.members[group.id];
      if (open && (before?.memberCount !== group.memberCount || before?.role !== group.role)) {
        void bridge.invoke('groups.members', { groupId: group.id }).then((r) => {
          if (r.ok) state().setGroupMembers(group.id, r.value.members, r.value.pending);
        });
      }
      // The open group: seen messages are read.
      if (group.unread > 0 && state().groups.selectedId === group.id && !state().ui.selectedChatId) {
        void bridge.invoke('groups.markRead', { groupId: group.id });
      }
    }),
    bridge.on('group.message', (message) => state().putGroupMessage(message)),
  ];
}
