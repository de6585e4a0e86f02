/** Group events into the store (wired into the event router). */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';
import { TYPING_SHOWN_MS } from '../store/uiSlice';

export function groupEventSubscriptions(bridge: ParleyBridge, store: AppStore, now: () => number): (() => void)[] {
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
      // Reading is reported by the open group's pane (useMarkGroupRead), while it is visible.
    }),
    bridge.on('group.message', (message) => {
      state().putGroupMessage(message);
      // Their message is here: they have stopped typing it.
      if (!message.fromMe) state().setGroupTyping(message.groupId, message.senderId, message.senderName, null);
    }),
    bridge.on('group.messageRemoved', ({ groupId, id }) => {
      state().removeGroupMessage(groupId, id);
      // Replying to or editing a line that is gone ends.
      if (state().ui.compose[groupId]?.messageId === id) state().setCompose(groupId, null);
    }),
    bridge.on('group.typing', ({ groupId, userId, name }) => {
      if (userId === state().session.profile?.userId) return;
      state().setGroupTyping(groupId, userId, name, now() + TYPING_SHOWN_MS);
    }),
  ];
}
