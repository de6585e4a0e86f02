/**
 * The message lifecycle inside private groups: what a Sender Keys message may carry besides
 * text (timer, edit, delete, reaction — the same shapes as in 1:1 chats, crypto/plaintext.ts)
 * and the rules for applying a member's one. Everything is idempotent, so a redelivery
 * changes nothing: edits keep the newest by the sender's clock, reactions likewise per
 * member, deletes leave a tombstone, a timer change adds one line per message id.
 *
 * Who may do what (checked against the verified member list at the time it is applied):
 * - timer: owners and admins (a member's is refused — the relay cannot check it, it never
 *   sees the timer);
 * - edit: the original sender only;
 * - delete for everyone: the original sender, or an owner or admin (moderation);
 * - reaction: any member, one per member per message.
 */
import { z } from 'zod';
import type { GroupRole } from '../../../shared/protocol';
import type { Logger } from '../api';
import { deletePlaintext, editPlaintext, reactionPlaintext, textPlaintext, timerPlaintext } from '../crypto/plaintext';
import type { GroupRepo } from './repo';

/** What travels inside a Sender Keys message. */
export const groupPayload = z.discriminatedUnion('k', [
  textPlaintext,
  timerPlaintext,
  editPlaintext,
  deletePlaintext,
  reactionPlaintext,
]);
export type GroupPayload = z.infer<typeof groupPayload>;
export type GroupControlPayload = Exclude<GroupPayload, { k: 'text' }>;

/** What applying received group messages changed (for the events after the commit). */
export interface GroupChanges {
  added: number[];
  updated: number[];
  removed: { groupId: string; id: string }[];
  groups: Set<string>;
}

export const emptyGroupChanges = (): GroupChanges => ({ added: [], updated: [], removed: [], groups: new Set() });

export const isModerator = (role: GroupRole | undefined): boolean => role === 'owner' || role === 'admin';

export interface ReceivedControl {
  gid: string;
  senderId: string;
  senderRole: GroupRole | undefined;
  msgId: string;
  seq: number;
  /** When the relay took it (its clock). */
  relayTs: number;
}

/**
 * A timer change counts as written no later than this after the relay took it: crossing
 * changes are ordered by their setters' clocks, and an admin with a clock far ahead (or a
 * forged `sentAt`) must not freeze the timer against every later change.
 */
export const TIMER_CLOCK_TOLERANCE_MS = 60_000;

/** Applies a member's control message (inside the receive transaction). */
export function applyGroupControl(
  repo: GroupRepo,
  logger: Logger,
  payload: GroupControlPayload,
  msg: ReceivedControl,
  now: number,
  changes: GroupChanges,
): void {
  const { gid, senderId } = msg;
  const refuse = (why: string) =>
    logger.warn('refused a group control message', { gid, from: senderId, seq: msg.seq, kind: payload.k, why });
  switch (payload.k) {
    case 'timer': {
      if (!isModerator(msg.senderRole)) return refuse('only owners and admins set the timer');
      const at = Math.min(payload.sentAt, msg.relayTs + TIMER_CLOCK_TOLERANCE_MS);
      const before = repo.get(gid)?.timer;
      const applied = repo.setTimer(gid, payload.expiresIn, at);
      // A restatement adds a line only when it changed something here.
      if (payload.restate && !(applied && before !== payload.expiresIn)) return;
      const localId = repo.insertMessage({
        group_id: gid,
        id: msg.msgId,
        sender_id: senderId,
        from_me: 0,
        kind: 'timer',
        text: '',
        sent_at: at,
        seq: msg.seq,
        status: null,
        body: null,
        expires_in: payload.expiresIn,
      });
      if (localId !== null) changes.added.push(localId);
      changes.groups.add(gid);
      return;
    }
    case 'edit': {
      const target = repo.message(gid, payload.target);
      if (!target) return; // deleted or expired meanwhile: nothing to edit
      if (target.kind !== 'text' || target.sender_id !== senderId) return refuse('not the sender of that message');
      if (repo.edit(target.local_id, payload.text, payload.editedAt)) {
        changes.updated.push(target.local_id);
        changes.groups.add(gid);
      }
      return;
    }
    case 'delete': {
      const target = repo.message(gid, payload.target);
      if (target && target.kind !== 'text' && target.kind !== 'held') return refuse('not a message');
      if (target && target.sender_id !== senderId && !isModerator(msg.senderRole)) {
        return refuse('neither the sender of that message nor an admin');
      }
      if (!target || target.kind === 'held') {
        // Not here (yet, or any more; or still waiting for its key): make sure a late copy is
        // never stored.
        if (target) repo.dropHeldPlace(gid, payload.target, target.sender_id);
        repo.tombstone(gid, payload.target, now);
        return;
      }
      const removed = repo.remove(target.local_id, now);
      if (removed) {
        changes.removed.push(removed);
        changes.groups.add(gid);
      }
      return;
    }
    case 'reaction': {
      const target = repo.message(gid, payload.target);
      // A message still waiting for its key keeps the reaction for when it opens.
      if (!target || (target.kind !== 'text' && target.kind !== 'held')) return;
      const changed = repo.setReaction(gid, target.id, senderId, payload.emoji, payload.at);
      if (changed && target.kind === 'text') changes.updated.push(target.local_id);
      return;
    }
  }
}
