/**
 * Private groups on the client: the verified membership log, Sender Keys, sending and
 * receiving, and the views the IPC contract shows.
 *
 * - Every change (ours, pushed, or paged in with gLog) is verified by log.ts before it is
 *   stored; our own changes are signed with the identity key and applied once the relay
 *   took them. The relay's member list (gState) is compared with the verified one: a
 *   mismatch flags the group (`membershipMismatch`).
 * - Every membership change (create, add, remove, leave, join) sets `rotate`: before our
 *   next message we make a new sending chain and queue its distribution — a `senderKey`
 *   plaintext in the 1:1 outbox, sealed by the Double Ratchet — to the members of the new
 *   list only. Receiver states of removed members are dropped at once.
 * - Sending seals with the sender key and stores the new chain state with the message row in
 *   ONE transaction; the row's sealed body goes out as `gSend` and is kept until `gSent`.
 * - Receiving (`gMsg`): in order; a sender that is not a member of the verified list is
 *   refused; a message whose generation has not been distributed yet is held (durably) and
 *   opened when the distribution arrives; stale, forged or duplicate messages are dropped
 *   and logged. The new receiver state commits with the message; `gAck` follows the commit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { GroupMessageView, GroupView, GroupMemberView } from '../../../shared/ipc';
import { IpcError } from '../../../shared/ipc';
import type { GroupChangeWire, GroupRole, GroupStateWire } from '../../../shared/protocol';
import type { Logger } from '../api';
import type { Account } from '../db/account';
import type { Store } from '../db/store';
import type { CoreEvents } from '../events';
import { describeError } from '../logger';
import { utf8 } from '../crypto/bytes';
import { packr } from '../crypto/msgpack';
import {
  encodePlaintext,
  MAX_RECEIPT_IDS,
  type GroupReadPlaintext,
  type SenderKeyPlaintext,
} from '../crypto/plaintext';
import {
  createSenderKey,
  deserializeReceiverKeyState,
  deserializeSenderKeyState,
  groupDecrypt,
  groupEncrypt,
  isSenderKeyError,
  processSenderKeyDistribution,
  rotateSenderKey,
  senderKeyDistribution,
  serializeReceiverKeyState,
  serializeSenderKeyState,
} from '../crypto/senderKeys';
import type { UserDirectory } from '../messaging/directory';
import type { ExpirySource } from '../messaging/expiry';
import { groupExpirySource } from './expiry';
import { purgeDeadline } from '../messaging/lifecycle';
import { summarizeReactions } from '../messaging/views';
import type { RelayConnection } from '../relay/connection';
import { isRelayError, RelayError } from '../relay/relayError';
import type { GroupPushFrame } from './frames';
import {
  applyChange,
  GroupLogError,
  isMembershipChange,
  memberList,
  memberListHash,
  signChange,
  transition,
  type GroupLogState,
} from './log';
import {
  applyGroupControl,
  emptyGroupChanges,
  groupPayload,
  isModerator,
  type GroupChanges,
  type GroupControlPayload,
  type GroupPayload,
} from './lifecycle';
import {
  GroupRepo,
  systemLineSchema,
  type GroupMessageRow,
  type GroupRow,
  type HeldRow,
  type NewGroupMessage,
  type SystemLine,
} from './repo';

type ReactionEmoji = Extract<GroupControlPayload, { k: 'reaction' }>['emoji'];

/** At most one typing signal per group this often. */
export const GROUP_TYPING_INTERVAL_MS = 3_000;
/** Characters of a quoted message shown in a reply. */
const QUOTE_PREVIEW_CHARS = 200;

export const GROUP_LINK_PREFIX = 'parley://group/';
const HISTORY_PAGE = 100;

export interface GroupServiceOptions {
  store: Store;
  relay: RelayConnection;
  directory: UserDirectory;
  account(): Account | null;
  events: CoreEvents;
  logger: Logger;
  /** Distributions were queued in the 1:1 outbox. */
  kickOutbox(): void;
  /** Self-destruct bookkeeping (messaging/expiry.ts; this service is its `groups` source). */
  expiry?: {
    noteCountdowns(localIds: readonly number[]): void;
    /** Lines were deleted outside the sweep: checkpoint the WAL. */
    afterRemoval(): void;
  };
}

type Gmsg = Extract<GroupPushFrame, { t: 'gMsg' }>;

export class GroupService {
  readonly repo: GroupRepo;
  private tail: Promise<void> = Promise.resolve();
  private pumping: Promise<void> | null = null;
  private stopped = false;
  private readonly typingSentAt = new Map<string, number>();
  /** Per group, the last state replayed for roleAt (messages mostly come in order: replays go forward). */
  private readonly pastStates = new Map<string, GroupLogState>();

  constructor(private readonly options: GroupServiceOptions) {
    this.repo = new GroupRepo(options.store.db);
  }

  stop(): void {
    this.stopped = true;
  }

  // ================================================================ views

  list(): GroupView[] {
    return this.repo.all().map((row) => this.view(row));
  }

  view(row: GroupRow): GroupView {
    const me = this.options.account()?.userId;
    const state = this.repo.logState(row.id)!;
    const last = this.repo.last(row.id);
    const lastMessage = last
      ? {
          text: last.kind === 'text' ? last.text : '',
          senderName: this.nameOf(last.sender_id),
          fromMe: last.from_me === 1,
          system: last.kind !== 'text',
          // Only lines the renderer words itself need the full view (a text's preview is `text`).
          ...(last.kind !== 'text' ? { line: this.messageView(last) } : {}),
        }
      : null;
    const role = (me !== undefined ? state.members.get(me) : undefined) ?? 'member';
    return {
      id: row.id,
      kind: 'group',
      name: row.name,
      role,
      status: row.status,
      memberCount: state.members.size,
      unread: row.unread,
      encrypted: true,
      membershipMismatch: row.mismatch === 1,
      lastMessage,
      invites: [...state.invites].map(([token, approval]) => ({ token, approval })),
      updatedAt: row.updated_at,
      timer: row.timer,
      draft: row.draft,
    };
  }

  members(gid: string): GroupMemberView[] {
    const state = this.requireState(gid);
    const me = this.options.account()?.userId;
    const order = { owner: 0, admin: 1, member: 2 } as const;
    return [...state.members]
      .map(([userId, role]) => this.memberView(userId, role, me))
      .sort((a, b) => order[a.role] - order[b.role] || a.displayName.localeCompare(b.displayName));
  }

  async pending(gid: string): Promise<GroupMemberView[]> {
    const state = this.requireState(gid);
    const me = this.options.account()?.userId;
    const myRole = me ? state.members.get(me) : undefined;
    if (myRole !== 'owner' && myRole !== 'admin') return [];
    if (!this.options.relay.isOnline()) return [];
    try {
      const { group } = await this.options.relay.request({ t: 'gInfo', gid });
      const out: GroupMemberView[] = [];
      for (const userId of group.pending) {
        await this.options.directory.resolve(userId).catch(() => undefined);
        out.push(this.memberView(userId, 'member', me));
      }
      return out;
    } catch (err) {
      this.options.logger.debug('could not read join requests', { gid, error: describeError(err) });
      return [];
    }
  }

  private memberView(userId: string, role: GroupMemberView['role'], me: string | undefined): GroupMemberView {
    const contact = this.options.store.contacts.get(userId);
    const isMe = userId === me;
    const account = isMe ? this.options.account() : null;
    return {
      userId,
      username: account?.username ?? contact?.username ?? '',
      displayName: account?.displayName ?? contact?.displayName ?? userId,
      role,
      isMe,
      keyChanged: isMe ? false : this.options.store.security.get(userId).keyChanged,
    };
  }

  history(gid: string, beforeLocalId?: number): { messages: GroupMessageView[]; hasMore: boolean } {
    this.requireRow(gid);
    const rows = this.repo.history(gid, beforeLocalId, HISTORY_PAGE + 1);
    const hasMore = rows.length > HISTORY_PAGE;
    const page = hasMore ? rows.slice(1) : rows;
    return { messages: page.map((r) => this.messageView(r)), hasMore };
  }

  /** Seen up to `upToId` (or everything): unread counted again, countdowns of timed messages start. */
  markRead(gid: string, upToId?: string): GroupView {
    const group = this.requireRow(gid);
    let upTo: number | null = null;
    if (upToId !== undefined) {
      const line = this.repo.message(gid, upToId);
      if (!line) throw new IpcError('not_found', 'no such message in this group');
      upTo = line.local_id;
    }
    const { store } = this.options;
    // No receipts once we are out of the group: what we read there is nobody's business now.
    const receipts = store.lifecycle.getSetting('readReceipts') !== '0' && group.status === 'active';
    const { started, queued } = store.transaction(() => {
      const now = Date.now();
      const upToLocal = upTo ?? this.repo.newestLocalId(gid);
      const started = this.repo.markRead(gid, upToLocal, now);
      // With receipts off the lines are still marked: turning them on later reports no old reads.
      const read = this.repo.takeUnreportedRead(gid, upToLocal);
      const queued = receipts && this.queueReadReceipts(gid, read, now);
      return { started, queued };
    });
    if (queued) this.options.kickOutbox();
    if (started.length > 0) {
      this.options.expiry?.noteCountdowns(started);
      for (const localId of started) this.emitLine(localId);
    }
    return this.emitGroup(gid);
  }

  /**
   * Tells each sender, over the 1:1 session only, which of its messages we read: the group
   * (and the relay) never learn who read what. True if anything was queued.
   */
  private queueReadReceipts(gid: string, read: readonly { sender_id: string; id: string }[], now: number): boolean {
    const members = this.repo.logState(gid)?.members;
    const bySender = new Map<string, string[]>();
    for (const { sender_id: senderId, id } of read) {
      if (!members?.has(senderId)) continue; // not to former members
      const ids = bySender.get(senderId);
      if (ids) ids.push(id);
      else bySender.set(senderId, [id]);
    }
    let queued = false;
    for (const [senderId, ids] of bySender) {
      if (!this.options.store.contacts.get(senderId)) continue;
      for (let start = 0; start < ids.length; start += MAX_RECEIPT_IDS) {
        this.options.store.outbox.enqueue({
          msgId: randomUUID(),
          recipientId: senderId,
          kind: 'control',
          messageLocalId: null,
          plaintext: encodePlaintext({ k: 'groupRead', gid, ids: ids.slice(start, start + MAX_RECEIPT_IDS) }),
          createdAt: now,
        });
        queued = true;
      }
    }
    return queued;
  }

  /** A member read some of our messages (inside the incoming transaction). Lines changed. */
  applyRead(readerId: string, plaintext: GroupReadPlaintext): number[] {
    const state = this.repo.logState(plaintext.gid);
    if (!state?.members.has(readerId) || this.repo.get(plaintext.gid)?.status !== 'active') {
      this.options.logger.warn('a read receipt from a non-member', { gid: plaintext.gid, from: readerId });
      return [];
    }
    return this.repo.addReads(plaintext.gid, plaintext.ids, readerId);
  }

  /** After the commit that changed them. */
  emitLines(localIds: readonly number[]): void {
    for (const localId of new Set(localIds)) this.emitLine(localId);
  }

  private nameOf(userId: string): string {
    const account = this.options.account();
    if (account?.userId === userId) return account.displayName;
    return this.options.store.contacts.get(userId)?.displayName ?? userId;
  }

  messageView(row: GroupMessageRow): GroupMessageView {
    const me = this.options.account()?.userId;
    const extra: Partial<GroupMessageView> = {};
    if (row.reply_to !== null) {
      const quoted = this.repo.message(row.group_id, row.reply_to);
      extra.replyTo =
        quoted && quoted.kind === 'text'
          ? {
              id: quoted.id,
              senderId: quoted.sender_id,
              senderName: this.nameOf(quoted.sender_id),
              text: quoted.text.slice(0, QUOTE_PREVIEW_CHARS),
              missing: false,
            }
          : { id: row.reply_to, missing: true };
    }
    if (row.edited_at !== null) extra.editedAt = row.edited_at;
    if (row.expires_in > 0 || row.kind === 'timer') extra.expiresIn = row.expires_in;
    if (row.expire_at !== null) extra.expiresAt = row.expire_at;
    if (row.forwarded === 1) extra.forwarded = true;
    let status: GroupMessageView['status'] = row.status;
    if (row.kind === 'text') {
      const reactions = this.repo.reactions(row.group_id, row.id);
      if (reactions.length > 0) extra.reactions = summarizeReactions(reactions, me);
      if (row.from_me === 1 && row.status === 'sent') {
        const readCount = this.repo.readCount(row.group_id, row.id);
        extra.readCount = readCount;
        if (readCount > 0) status = 'read';
      }
    }
    let system: GroupMessageView['system'] = null;
    if (row.kind === 'system') {
      const parsed = systemLineSchema.safeParse(JSON.parse(row.text));
      if (parsed.success) {
        system = {
          action: parsed.data.action,
          actorName: this.nameOf(parsed.data.actor),
          targetNames: parsed.data.targets.map((t) => this.nameOf(t)),
          name: parsed.data.name,
          aboutMe: me !== undefined && parsed.data.targets.includes(me),
        };
      }
    }
    return {
      groupId: row.group_id,
      id: row.id,
      localId: row.local_id,
      senderId: row.sender_id,
      senderName: this.nameOf(row.sender_id),
      fromMe: row.from_me === 1,
      // Control rows are never listed (history and last() skip them).
      kind: row.kind === 'control' || row.kind === 'held' ? 'system' : row.kind,
      text: row.kind === 'text' ? row.text : '',
      system,
      sentAt: row.sent_at,
      seq: row.seq,
      status,
      ...extra,
    };
  }

  private emitLine(localId: number): void {
    const row = this.repo.messageByLocalId(localId);
    if (row && row.kind !== 'control' && row.kind !== 'held') {
      this.options.events.emit('group.message', this.messageView(row));
    }
  }

  private requireRow(gid: string): GroupRow {
    const row = this.repo.get(gid);
    if (!row) throw new IpcError('not_found', 'no such group');
    return row;
  }

  private requireState(gid: string): GroupLogState {
    const state = this.repo.logState(gid);
    if (!state) throw new IpcError('not_found', 'no such group');
    return state;
  }

  private requireAccount(): Account {
    const account = this.options.account();
    if (!account) throw new IpcError('not_signed_in', 'sign in first');
    return account;
  }

  /** This service's timed lines, for the expiry scheduler (the sweep checkpoints the WAL itself). */
  expirySource(): ExpirySource {
    return groupExpirySource(this.repo, (removed) => this.announceRemoved(removed, false));
  }

  // ================================================================ changes

  async create(name: string, memberIds: readonly string[]): Promise<GroupView> {
    const account = this.requireAccount();
    const targets = [...new Set(memberIds)].filter((id) => id !== account.userId);
    await this.ensureContacts(targets);
    const gid = `g_${randomBytes(16).toString('base64url')}`;
    const draft: GroupChangeWire = {
      gid,
      version: 1,
      action: 'create',
      actor: account.userId,
      targets,
      name,
      invite: null,
      memberHash: new Uint8Array(32),
      sig: null,
      ts: 0,
    };
    const members = [
      { userId: account.userId, role: 'owner' as const },
      ...targets.map((userId) => ({ userId, role: 'member' as const })),
    ];
    const change = signChange({ ...draft, memberHash: memberListHash(members) }, account.keys.identitySecretKey);
    const answer = await this.options.relay.request({ t: 'gCreate', change });
    this.applyVerified(gid, [{ ...change, ts: Date.now() }]);
    this.compareState(answer.group);
    return this.emitGroup(gid);
  }

  addMembers(gid: string, userIds: readonly string[]): Promise<GroupView> {
    return this.submit(gid, async () => {
      await this.ensureContacts(userIds);
      return { action: 'add', targets: [...new Set(userIds)] };
    });
  }

  removeMember(gid: string, userId: string): Promise<GroupView> {
    return this.submit(gid, async () => ({ action: 'remove', targets: [userId] }));
  }

  leave(gid: string): Promise<GroupView> {
    const me = this.requireAccount().userId;
    return this.submit(gid, async () => ({ action: 'leave', targets: [me] }));
  }

  setRole(gid: string, userId: string, role: 'admin' | 'member'): Promise<GroupView> {
    return this.submit(gid, async () => ({ action: role === 'admin' ? 'promote' : 'demote', targets: [userId] }));
  }

  rename(gid: string, name: string): Promise<GroupView> {
    return this.submit(gid, async () => ({ action: 'rename', targets: [], name }));
  }

  async createInvite(gid: string, approval: boolean): Promise<{ link: string; token: string }> {
    const token = randomBytes(24).toString('base64url');
    await this.submit(gid, async () => ({ action: 'invite', targets: [], invite: { token, approval } }));
    return { link: `${GROUP_LINK_PREFIX}${token}`, token };
  }

  revokeInvite(gid: string, token: string): Promise<GroupView> {
    return this.submit(gid, async (state) => {
      const approval = state.invites.get(token);
      if (approval === undefined) throw new IpcError('not_found', 'no such invite link');
      return { action: 'revoke', targets: [], invite: { token, approval } };
    });
  }

  approve(gid: string, userId: string): Promise<GroupView> {
    return this.addMembers(gid, [userId]);
  }

  async joinByInvite(link: string): Promise<{ status: 'joined' | 'pending'; group: GroupView | null }> {
    this.requireAccount();
    const token = link.startsWith(GROUP_LINK_PREFIX) ? link.slice(GROUP_LINK_PREFIX.length) : link;
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) throw new IpcError('invalid_input', 'not a group invite link');
    const answer = await this.options.relay.request({ t: 'gJoin', token });
    if (answer.t === 'gJoinPending') return { status: 'pending', group: null };
    await this.catchUp(answer.group.gid);
    this.compareState(answer.group);
    await this.sync();
    return { status: 'joined', group: this.emitGroup(answer.group.gid) };
  }

  /**
   * Builds, signs and submits one change at the next version; on a version conflict (someone
   * else's change got in first) catches up and tries once more. Refused locally first with
   * the specific error (non-admin, not a member, ...), so nothing reaches the relay.
   */
  private async submit(
    gid: string,
    build: (
      state: GroupLogState,
    ) => Promise<Pick<GroupChangeWire, 'action' | 'targets'> & Partial<Pick<GroupChangeWire, 'name' | 'invite'>>>,
  ): Promise<GroupView> {
    const account = this.requireAccount();
    for (let attempt = 0; ; attempt++) {
      const row = this.requireRow(gid);
      if (row.status !== 'active') throw new IpcError('not_group_member', 'you are no longer a member of this group');
      const state = this.requireState(gid);
      const parts = await build(state);
      const draft: GroupChangeWire = {
        gid,
        version: state.version + 1,
        action: parts.action,
        actor: account.userId,
        targets: parts.targets,
        name: parts.name ?? null,
        invite: parts.invite ?? null,
        memberHash: new Uint8Array(32),
        sig: null,
        ts: 0,
      };
      // Checked locally first (same rules as every receiver): a refusal names its reason.
      let next: GroupLogState;
      try {
        next = transition(state, draft);
      } catch (err) {
        throw asIpcGroupError(err);
      }
      const change = signChange(
        { ...draft, memberHash: memberListHash(memberList(next)) },
        account.keys.identitySecretKey,
      );
      try {
        const answer = await this.options.relay.request({ t: 'gChange', change });
        this.applyVerified(gid, [{ ...change, ts: Date.now() }]);
        this.compareState(answer.group);
        return this.emitGroup(gid);
      } catch (err) {
        if (isRelayError(err) && err.code === 'group_version_conflict' && attempt === 0) {
          await this.catchUp(gid);
          continue;
        }
        // The relay may have applied it and the answer got lost: pick it up from the log.
        if (isRelayError(err) && (err.code === 'timeout' || err.code === 'disconnected')) {
          void this.catchUp(gid).catch(() => undefined);
        }
        throw asIpcGroupError(err);
      }
    }
  }

  /** Fetches and verifies every change after the local version (from 1 for an unknown group). */
  async catchUp(gid: string): Promise<void> {
    for (;;) {
      const after = this.repo.get(gid)?.version ?? 0;
      const { changes } = await this.options.relay.request({ t: 'gLog', gid, after });
      if (changes.length === 0) return;
      await this.ensureContacts(changes.flatMap((c) => [c.actor, ...c.targets]));
      this.applyVerified(gid, changes);
      if (changes.length < 200) return;
    }
  }

  private async ensureContacts(userIds: Iterable<string>): Promise<void> {
    const me = this.options.account()?.userId;
    for (const userId of new Set(userIds)) {
      if (userId === me || this.options.store.contacts.get(userId)) continue;
      await this.options.directory.resolve(userId);
    }
  }

  /**
   * Verifies and stores changes in order, in one transaction. A change that does not verify
   * stops there (it and everything after it are refused; what came before stays).
   */
  applyVerified(gid: string, changes: readonly GroupChangeWire[]): void {
    const me = this.requireAccount();
    const { store, logger } = this.options;
    let restate = false;
    store.transaction(() => {
      let state = this.repo.logState(gid);
      for (const change of changes) {
        if (state && change.version <= state.version) continue; // seen already
        const keyOf = (userId: string) =>
          userId === me.userId ? me.keys.identityPublicKey : store.contacts.get(userId)?.identityKey;
        let next: GroupLogState;
        try {
          next = applyChange(state, change, keyOf);
        } catch (err) {
          if (err instanceof GroupLogError) {
            logger.warn('refused a group change that does not verify', {
              gid,
              version: change.version,
              action: change.action,
              code: err.code,
            });
            if (this.repo.get(gid)) this.repo.setMismatch(gid, true);
            return;
          }
          throw err;
        }
        const now = Date.now();
        const at = change.ts > 0 ? change.ts : now;
        this.repo.saveState(next, change, at);
        if (isMembershipChange(change)) {
          this.repo.setRotate(gid, true);
          const removed = state ? [...state.members.keys()].filter((u) => !next.members.has(u)) : [];
          for (const userId of removed) {
            this.repo.dropReceiverKey(gid, userId);
            this.repo.dropHeldFrom(gid, userId);
          }
          if (removed.includes(me.userId)) {
            this.repo.setStatus(gid, change.action === 'leave' ? 'left' : 'removed');
            this.repo.dropAllReceiverKeys(gid);
          } else if (next.members.has(me.userId)) {
            this.repo.setStatus(gid, 'active');
          }
        }
        if (change.action === 'add' || change.action === 'join') {
          const teller =
            change.action === 'add' ? change.actor : [...next.members].find(([, role]) => role === 'owner')?.[0];
          restate ||= teller === me.userId;
        }
        const line: SystemLine = {
          action: change.action,
          actor: change.actor,
          targets: change.targets,
          name: change.name,
        };
        this.repo.insertMessage({
          group_id: gid,
          id: `v${change.version}`,
          sender_id: change.actor,
          from_me: change.actor === me.userId ? 1 : 0,
          kind: 'system',
          text: JSON.stringify(line),
          sent_at: at,
          seq: null,
          status: null,
          body: null,
        });
        state = next;
      }
    });
    if (restate) this.restateTimer(gid);
  }

  /** Compares the relay's member list with the verified one. */
  private compareState(group: GroupStateWire): void {
    const state = this.repo.logState(group.gid);
    if (!state || state.version !== group.version) return;
    const verified = memberListHash(memberList(state));
    const relay = memberListHash(group.members);
    const same = Buffer.compare(Buffer.from(verified), Buffer.from(relay)) === 0;
    if (!same) this.options.logger.warn('the relay lists other members than the verified log', { gid: group.gid });
    this.repo.setMismatch(group.gid, !same);
  }

  private emitGroup(gid: string): GroupView {
    const view = this.view(this.requireRow(gid));
    this.options.events.emit('group.updated', view);
    return view;
  }

  // ================================================================ sending

  async send(
    gid: string,
    text: string,
    options: { replyTo?: string; forwarded?: boolean } = {},
  ): Promise<GroupMessageView> {
    const row = this.requireActive(gid);
    if (options.replyTo !== undefined) this.requireText(gid, options.replyTo);
    await this.prepareMembers(gid);
    const now = Date.now();
    const expiresIn = row.timer;
    const forwarded = options.forwarded === true;
    const payload: GroupPayload = {
      k: 'text',
      text,
      sentAt: now,
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
      ...(expiresIn > 0 ? { expiresIn } : {}),
      ...(forwarded ? { forwarded: true as const } : {}),
    };
    const localId = this.queueLine(
      gid,
      payload,
      {
        kind: 'text',
        text,
        sent_at: now,
        reply_to: options.replyTo ?? null,
        expires_in: expiresIn,
        forwarded: forwarded ? 1 : 0,
        purge_at: expiresIn > 0 ? purgeDeadline(now, expiresIn) : null,
      },
      () => {
        this.repo.touch(gid, now);
        if (!forwarded) this.repo.setDraft(gid, '');
      },
    );
    this.typingSentAt.delete(gid);
    const view = this.messageView(this.repo.messageByLocalId(localId)!);
    this.options.events.emit('group.message', view);
    this.emitGroup(gid);
    return view;
  }

  /** Changes the text of one of our messages; members see it marked edited. */
  async edit(gid: string, messageId: string, text: string): Promise<GroupMessageView> {
    this.requireActive(gid);
    const target = this.requireText(gid, messageId);
    if (target.from_me !== 1) throw new IpcError('invalid_input', 'only your own messages can be edited');
    if (target.text !== text) {
      await this.prepareMembers(gid);
      const editedAt = Math.max(Date.now(), (target.edited_at ?? 0) + 1);
      this.queueControl(
        gid,
        { k: 'edit', target: messageId, text, editedAt },
        { timer: target.expires_in, boundTo: messageId },
        editedAt,
        () => this.repo.edit(target.local_id, text, editedAt),
      );
      this.emitGroup(gid);
    }
    return this.lineView(target.local_id);
  }

  /** Removes a line from this device only. */
  deleteForMe(gid: string, messageId: string): void {
    this.requireRow(gid);
    const line = this.repo.message(gid, messageId);
    if (!line || line.kind === 'control' || line.kind === 'held') {
      throw new IpcError('not_found', 'no such message in this group');
    }
    const removed = this.options.store.transaction(() => this.repo.remove(line.local_id, Date.now()));
    if (removed) this.announceRemoved([removed]);
  }

  /** Removes a message for every member: our own, or (owners and admins) anyone's. */
  async deleteForEveryone(gid: string, messageId: string): Promise<void> {
    this.requireActive(gid);
    const target = this.requireText(gid, messageId);
    const me = this.requireAccount().userId;
    if (target.from_me !== 1 && !isModerator(this.requireState(gid).members.get(me))) {
      throw new IpcError('not_group_admin', "only owners and admins can delete other members' messages");
    }
    await this.prepareMembers(gid);
    const now = Date.now();
    let removed: { groupId: string; id: string } | null = null;
    // Not bound to the target: removing the target must not take its delete along.
    this.queueControl(gid, { k: 'delete', target: messageId }, { timer: target.expires_in }, now, () => {
      removed = this.repo.remove(target.local_id, now);
    });
    if (removed) this.announceRemoved([removed]);
  }

  /** Our reaction to a message ('' takes it back). */
  async react(gid: string, messageId: string, emoji: ReactionEmoji): Promise<GroupMessageView> {
    this.requireActive(gid);
    const target = this.requireText(gid, messageId);
    const me = this.requireAccount().userId;
    await this.prepareMembers(gid);
    const at = Date.now();
    const payload: GroupControlPayload = { k: 'reaction', target: messageId, emoji, at };
    this.queueControl(gid, payload, { timer: target.expires_in }, at, () =>
      this.repo.setReaction(gid, messageId, me, emoji, at),
    );
    return this.lineView(target.local_id);
  }

  /** Owners and admins: the self-destruct timer for new messages, announced in the group. */
  async setTimer(gid: string, seconds: number): Promise<GroupView> {
    const row = this.requireActive(gid);
    const me = this.requireAccount().userId;
    if (!isModerator(this.requireState(gid).members.get(me))) {
      throw new IpcError('not_group_admin', 'only owners and admins can set the timer');
    }
    if (row.timer === seconds) return this.view(row);
    await this.prepareMembers(gid);
    // Later than the change in effect by any clock, so it wins here and on every member.
    const at = Math.max(Date.now(), row.timer_at + 1);
    const localId = this.queueLine(
      gid,
      { k: 'timer', expiresIn: seconds, sentAt: at },
      { kind: 'timer', text: '', sent_at: at, expires_in: seconds },
      () => {
        this.repo.setTimer(gid, seconds, at);
        this.repo.touch(gid, at);
      },
    );
    this.emitLine(localId);
    return this.emitGroup(gid);
  }

  saveDraft(gid: string, draft: string): void {
    const row = this.requireRow(gid);
    if (row.draft === draft) return;
    this.repo.setDraft(gid, draft);
    this.emitGroup(gid);
  }

  /** Best effort: online only, at most once per GROUP_TYPING_INTERVAL_MS per group. */
  async typing(gid: string): Promise<boolean> {
    const row = this.requireRow(gid);
    if (row.status !== 'active' || !this.options.relay.isOnline()) return false;
    const now = Date.now();
    if (now - (this.typingSentAt.get(gid) ?? -Infinity) < GROUP_TYPING_INTERVAL_MS) return false;
    this.typingSentAt.set(gid, now);
    try {
      await this.options.relay.request({ t: 'gTyping', gid });
      return true;
    } catch (err) {
      this.options.logger.debug('group typing signal not sent', { gid, error: describeError(err) });
      return false;
    }
  }

  /** A text line of the group (for reply, edit, delete, react, forward). */
  requireText(gid: string, messageId: string): GroupMessageRow {
    const line = this.repo.message(gid, messageId);
    if (!line || line.kind !== 'text') throw new IpcError('not_found', 'no such message in this group');
    return line;
  }

  private requireActive(gid: string): GroupRow {
    const row = this.requireRow(gid);
    if (row.status !== 'active') throw new IpcError('not_group_member', 'you are no longer a member of this group');
    return row;
  }

  private lineView(localId: number): GroupMessageView {
    const view = this.messageView(this.repo.messageByLocalId(localId)!);
    this.options.events.emit('group.message', view);
    return view;
  }

  private announceRemoved(removed: readonly { groupId: string; id: string }[], checkpoint = true): void {
    if (checkpoint) this.options.expiry?.afterRemoval();
    const groups = new Set<string>();
    for (const { groupId, id } of removed) {
      this.options.events.emit('group.messageRemoved', { groupId, id });
      groups.add(groupId);
    }
    for (const gid of groups) if (this.repo.get(gid)) this.emitGroup(gid);
    // Replies quoting a removed message now show it as missing.
    for (const { groupId, id } of removed)
      for (const localId of this.repo.repliesTo(groupId, id)) this.emitLine(localId);
  }

  /** The distributions are sealed by the 1:1 outbox, which needs a pinned contact per member. */
  private async prepareMembers(gid: string): Promise<void> {
    const me = this.requireAccount().userId;
    const others = [...this.requireState(gid).members.keys()].filter((u) => u !== me);
    await this.ensureContacts(others).catch((err: unknown) => {
      this.options.logger.warn('could not look up every group member', { gid, error: describeError(err) });
    });
  }

  /**
   * Queues a control message about a message (edit, delete, reaction) and applies it here, in
   * one transaction. `boundTo`: removing that message removes this one too while unsent (an
   * edit carries its text). About a timed message (`timer` > 0), the relay gets a deadline too.
   */
  private queueControl(
    gid: string,
    payload: GroupControlPayload,
    about: { timer: number; boundTo?: string },
    now: number,
    apply: () => void,
  ): void {
    this.queueLine(
      gid,
      payload,
      {
        kind: 'control',
        text: '',
        sent_at: now,
        target_id: about.boundTo ?? null,
        purge_at: about.timer > 0 ? purgeDeadline(now, about.timer) : null,
      },
      apply,
    );
  }

  /**
   * Seals `payload` with our sender key and stores it as one of our lines, with the new chain
   * state, in ONE transaction (plus `within`, the local effect). Before that, after any
   * membership change, a fresh chain is made and its distribution queued — a `senderKey`
   * plaintext in the 1:1 outbox — for the members of the current list only. Lines leave in
   * the order they were sealed (pump).
   */
  private queueLine(
    gid: string,
    payload: GroupPayload,
    line: Omit<NewGroupMessage, 'group_id' | 'id' | 'sender_id' | 'from_me' | 'seq' | 'status' | 'body'>,
    within?: () => void,
  ): number {
    const account = this.requireAccount();
    const msgId = randomUUID();
    const now = Date.now();
    const { store } = this.options;
    const localId = store.transaction(() => {
      const current = this.repo.get(gid)!;
      const state = this.repo.logState(gid)!;
      const stored = this.repo.senderKey(gid);
      let sender = stored ? deserializeSenderKeyState(stored) : null;
      if (!sender || current.rotate === 1) {
        sender = sender ? rotateSenderKey(sender) : createSenderKey({ groupId: gid, senderId: account.userId });
        const skd = new Uint8Array(senderKeyDistribution(sender));
        let missed = false;
        for (const userId of state.members.keys()) {
          if (userId === account.userId) continue;
          if (!store.contacts.get(userId)) {
            missed = true; // not looked up yet (offline): rotate again next time, for everyone
            continue;
          }
          const plaintext: SenderKeyPlaintext = { k: 'senderKey', gid, skd };
          store.outbox.enqueue({
            msgId: randomUUID(),
            recipientId: userId,
            kind: 'control',
            messageLocalId: null,
            plaintext: encodePlaintext(plaintext),
            createdAt: now,
          });
        }
        this.repo.setRotate(gid, missed);
      }
      const sealed = groupEncrypt(sender, packr.pack(payload), utf8(msgId));
      this.repo.putSenderKey(gid, serializeSenderKeyState(sealed.state));
      const id = this.repo.insertMessage({
        ...line,
        group_id: gid,
        id: msgId,
        sender_id: account.userId,
        from_me: 1,
        seq: null,
        status: 'sending',
        body: sealed.message,
      })!;
      within?.();
      return id;
    });
    this.options.kickOutbox();
    this.pump();
    return localId;
  }

  /**
   * After members were added (or joined), the timer in effect is told again, so the new ones
   * know it: by whoever added them, or by the owner for joins through a link. Members who knew
   * it already see nothing (`restate`).
   */
  private restateTimer(gid: string): void {
    const row = this.repo.get(gid);
    if (!row || row.status !== 'active' || row.timer === 0) return;
    this.queueLine(
      gid,
      { k: 'timer', expiresIn: row.timer, sentAt: row.timer_at, restate: true },
      { kind: 'control', text: '', sent_at: Date.now() },
    );
  }

  /** Sends every sealed, unsent group message in order. */
  pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.pumpLoop().finally(() => {
      this.pumping = null;
    });
  }

  private async pumpLoop(): Promise<void> {
    while (!this.stopped && this.options.relay.isOnline()) {
      const rows = this.repo.unsent();
      if (rows.length === 0) return;
      for (const fetched of rows) {
        // Re-read: it may have gone meanwhile (deleted for me, expired, its edit's target expired).
        const row = this.repo.messageByLocalId(fetched.local_id);
        if (!row || row.status !== 'sending' || row.body === null) continue;
        try {
          const sent = await this.options.relay.request({
            t: 'gSend',
            gid: row.group_id,
            msgId: row.id,
            body: row.body,
            // The relay's deadline counts from now, not from when it was written: a message that
            // waited offline for days is still delivered (its countdown starts when it is seen).
            ...(row.purge_at !== null ? { purgeAt: Date.now() + (row.purge_at - row.sent_at) } : {}),
          });
          const started = this.options.store.transaction(() => this.repo.markSent(row.local_id, sent.seq, Date.now()));
          if (started) this.options.expiry?.noteCountdowns([row.local_id]);
        } catch (err) {
          if (isRelayError(err) && ['disconnected', 'timeout', 'rate_limited', 'shutting_down'].includes(err.code)) {
            return; // retried on the next connection
          }
          this.options.logger.warn('the relay refused a group message', {
            gid: row.group_id,
            error: describeError(err),
          });
          // A refused timed message of ours goes on its own timer, like a sent one.
          if (this.options.store.transaction(() => this.repo.markFailed(row.local_id, Date.now()))) {
            this.options.expiry?.noteCountdowns([row.local_id]);
          }
        }
        this.emitLine(row.local_id);
      }
    }
  }

  // ================================================================ receiving

  /**
   * After every login: the log of every group we are in by the relay's list — groups we were
   * added to while offline appear now, removals we missed are noticed — then delivery, then
   * our unsent messages.
   */
  onOnline(): void {
    void this.enqueue(async () => {
      const listed = await this.options.relay.request({ t: 'gList' }).then(
        (answer) => new Set(answer.groups.map((g) => g.gid)),
        (err: unknown) => {
          this.options.logger.debug('gList failed', { error: describeError(err) });
          return null;
        },
      );
      const ids = new Set([...this.repo.active().map((row) => row.id), ...(listed ?? [])]);
      for (const gid of ids) {
        try {
          await this.catchUp(gid);
          if (this.repo.get(gid)) this.emitGroup(gid);
        } catch (err) {
          if (isRelayError(err) && err.code === 'not_group_member' && listed && !listed.has(gid)) {
            this.noticeRemovedWhileAway(gid);
            continue;
          }
          this.options.logger.warn('could not catch up with a group', { gid, error: describeError(err) });
        }
      }
      await this.sync();
      this.pump();
    });
  }

  private async sync(): Promise<void> {
    try {
      await this.options.relay.request({ t: 'gSync' });
    } catch (err) {
      this.options.logger.debug('gSync failed', { error: describeError(err) });
    }
  }

  onPush(frame: GroupPushFrame): void {
    if (this.stopped) return;
    void this.enqueue(async () => {
      switch (frame.t) {
        case 'gMsg':
          await this.receive(frame);
          return;
        case 'gChanged':
          await this.onChanged(frame.change);
          return;
        case 'gJoinReq':
          if (this.repo.get(frame.gid)) this.emitGroup(frame.gid);
          return;
        case 'gTyping':
          this.onTyping(frame.gid, frame.from);
          return;
      }
    });
  }

  /** Waits until the pushes received so far are handled (tests). */
  idle(): Promise<void> {
    return this.tail;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(task).catch((err: unknown) => {
      this.options.logger.error('group task failed', { error: describeError(err) });
    });
    return this.tail;
  }

  /**
   * The relay no longer counts us a member and its log is closed to us: we were removed while
   * offline (the change itself was pushed while we were away). Nothing is deleted; we just stop
   * sending and forget the keys, as when the push arrives.
   */
  private noticeRemovedWhileAway(gid: string): void {
    const row = this.repo.get(gid);
    if (!row || row.status !== 'active') return;
    this.options.logger.warn('removed from a group while offline', { gid });
    this.options.store.transaction(() => {
      this.repo.setStatus(gid, 'removed');
      this.repo.dropAllReceiverKeys(gid);
    });
    this.emitGroup(gid);
  }

  /**
   * A member's role when the relay stored their message (`version`), from the verified log:
   * the log may already be ahead (we catch up on changes before delivery, and a change can
   * overtake older messages still queued), and a timer change or a moderator's delete written
   * before a demotion stays valid. Without a version (an older relay): the current role.
   */
  private roleAt(current: GroupLogState, userId: string, version: number | null): GroupRole | undefined {
    if (version === null || version >= current.version) return current.members.get(userId);
    let state = this.pastStates.get(current.gid) ?? null;
    if (state && state.version > version) state = null;
    try {
      for (const change of this.repo.changesBetween(current.gid, state?.version ?? 0, version)) {
        state = transition(state, change);
      }
    } catch (err) {
      // The records were verified when stored; a replay that fails means a gap: use the current role.
      this.options.logger.warn('could not replay a group log', { gid: current.gid, error: describeError(err) });
      return current.members.get(userId);
    }
    if (!state || state.version !== version) return current.members.get(userId);
    this.pastStates.set(current.gid, state);
    return state.members.get(userId);
  }

  private onTyping(gid: string, userId: string): void {
    const row = this.repo.get(gid);
    const me = this.options.account()?.userId;
    if (!row || row.status !== 'active' || userId === me) return;
    if (!this.repo.logState(gid)?.members.has(userId)) return;
    this.options.events.emit('group.typing', { groupId: gid, userId, name: this.nameOf(userId) });
  }

  private async onChanged(change: GroupChangeWire): Promise<void> {
    const local = this.repo.get(change.gid);
    if (local && change.version <= local.version) return;
    if (!local || change.version > local.version + 1) {
      try {
        await this.catchUp(change.gid);
      } catch (err) {
        // Removed members cannot read the log any more: the push itself is their news.
        if (!(local && change.version === local.version + 1)) {
          this.options.logger.warn('could not read a group log', { gid: change.gid, error: describeError(err) });
          if (!local) return;
        }
      }
    }
    const after = this.repo.get(change.gid);
    if (after && change.version === after.version + 1) {
      await this.ensureContacts([change.actor, ...change.targets]);
      this.applyVerified(change.gid, [change]);
    }
    if (this.repo.get(change.gid)) {
      this.emitGroup(change.gid);
      const line = this.repo.message(change.gid, `v${change.version}`);
      if (line) this.options.events.emit('group.message', this.messageView(line));
    }
  }

  private async receive(frame: Gmsg): Promise<void> {
    const account = this.options.account();
    if (!account) return;
    if (!this.repo.get(frame.gid)) {
      try {
        await this.catchUp(frame.gid);
      } catch (err) {
        this.options.logger.warn('a message of a group whose log cannot be read', {
          gid: frame.gid,
          error: describeError(err),
        });
        return; // not acknowledged: delivered again after the next gSync
      }
    }
    const changes = emptyGroupChanges();
    this.options.store.transaction(() =>
      this.open(
        account,
        {
          group_id: frame.gid,
          seq: frame.seq,
          sender_id: frame.from,
          msg_id: frame.msgId,
          relay_ts: Math.round(frame.ts),
          body: frame.body,
          version: frame.version ?? null,
        },
        changes,
      ),
    );
    this.announce(changes);
    this.options.relay.request({ t: 'gAck', gid: frame.gid, seq: frame.seq }).catch((err: unknown) => {
      this.options.logger.debug('gAck not confirmed; the relay will redeliver', { error: describeError(err) });
    });
  }

  /** After the commit: events for what opening messages changed. */
  private announce(changes: GroupChanges): void {
    for (const localId of changes.added) this.emitLine(localId);
    for (const localId of new Set(changes.updated)) this.emitLine(localId);
    if (changes.removed.length > 0) this.announceRemoved(changes.removed);
    for (const gid of changes.groups) if (this.repo.get(gid)) this.emitGroup(gid);
  }

  /**
   * Opens one group message (inside a transaction) and applies it: a text is stored, a
   * control message applied (lifecycle.ts). Refused, held and repeated messages change nothing.
   */
  private open(account: Account, msg: HeldRow, changes: GroupChanges, fromHeld = false): void {
    const { logger } = this.options;
    const gid = msg.group_id;
    const place = this.repo.message(gid, msg.msg_id);
    if (place && (place.kind !== 'held' || place.sender_id !== msg.sender_id)) {
      // Stored before — or another member reusing an id it saw (ids are the senders' choice):
      // never let one member's message take another's place.
      if (place.sender_id !== msg.sender_id) {
        logger.warn('refused a group message reusing another message id', { gid, from: msg.sender_id, seq: msg.seq });
      }
      this.repo.unhold(gid, msg.seq);
      return;
    }
    const group = this.repo.get(gid);
    const state = this.repo.logState(gid);
    if (!group || !state || group.status !== 'active') return;
    if (msg.sender_id === account.userId) return;
    if (!state.members.has(msg.sender_id)) {
      logger.warn('refused a group message from a non-member', { gid, from: msg.sender_id, code: 'not_group_member' });
      return;
    }
    // Its sender key has not arrived: kept (durably) with a place in the history, so it appears
    // where it arrived once it opens, not after whatever came in meanwhile.
    const hold = () => {
      if (fromHeld) return;
      this.repo.hold(msg, Date.now());
      this.repo.insertMessage({
        group_id: gid,
        id: msg.msg_id,
        sender_id: msg.sender_id,
        from_me: 0,
        kind: 'held',
        text: '',
        sent_at: msg.relay_ts,
        seq: msg.seq,
        status: null,
        body: null,
      });
    };
    const stored = this.repo.receiverKey(gid, msg.sender_id);
    if (!stored) return hold();
    let result;
    try {
      result = groupDecrypt(deserializeReceiverKeyState(stored), msg.body, Date.now(), utf8(msg.msg_id));
    } catch (err) {
      if (isSenderKeyError(err, 'unknown_generation')) return hold();
      if (isSenderKeyError(err)) {
        logger.warn('dropped a group message', { gid, from: msg.sender_id, seq: msg.seq, code: err.code });
        this.repo.unhold(gid, msg.seq);
        this.repo.dropHeldPlace(gid, msg.msg_id, msg.sender_id);
        return;
      }
      throw err;
    }
    this.repo.unhold(gid, msg.seq);
    // The chain advanced whatever the payload holds: a message key never opens twice.
    this.repo.putReceiverKey(gid, msg.sender_id, serializeReceiverKeyState(result.state));
    let payload: GroupPayload;
    try {
      payload = groupPayload.parse(packr.unpack(result.plaintext));
    } catch {
      // A kind this build does not know (a newer member) or a malformed one: nothing shown.
      logger.warn('a group message with an invalid payload', { gid, from: msg.sender_id, seq: msg.seq });
      this.repo.dropHeldPlace(gid, msg.msg_id, msg.sender_id);
      return;
    }
    if (payload.k !== 'text') {
      this.repo.dropHeldPlace(gid, msg.msg_id, msg.sender_id);
      applyGroupControl(
        this.repo,
        logger,
        payload,
        {
          gid,
          senderId: msg.sender_id,
          senderRole: this.roleAt(state, msg.sender_id, msg.version),
          msgId: msg.msg_id,
          seq: msg.seq,
          relayTs: msg.relay_ts,
        },
        Date.now(),
        changes,
      );
      return;
    }
    const line = {
      text: payload.text,
      sent_at: payload.sentAt,
      reply_to: payload.replyTo ?? null,
      expires_in: payload.expiresIn ?? 0,
      forwarded: payload.forwarded ? 1 : 0,
    };
    const localId =
      place && this.repo.fillHeld(place.local_id, msg.sender_id, line)
        ? place.local_id
        : this.repo.insertMessage({
            ...line,
            group_id: gid,
            id: msg.msg_id,
            sender_id: msg.sender_id,
            from_me: 0,
            kind: 'text',
            seq: msg.seq,
            status: null,
            body: null,
          });
    if (localId !== null) {
      // A held line filled in place may sit below what the user has already seen: counted again.
      if (localId === place?.local_id) this.repo.recountUnread(gid);
      else this.repo.addUnread(gid, 1);
      this.repo.touch(gid, msg.relay_ts);
      changes.added.push(localId);
      changes.groups.add(gid);
    }
  }

  /**
   * A member's distribution arrived over the 1:1 session (inside the incoming transaction).
   * Refused when the group is known and the sender is not in its verified member list.
   */
  applyDistribution(senderId: string, plaintext: SenderKeyPlaintext): void {
    const { logger } = this.options;
    const state = this.repo.logState(plaintext.gid);
    if (state && !state.members.has(senderId)) {
      logger.warn('refused a sender key from a non-member', { gid: plaintext.gid, from: senderId });
      return;
    }
    const stored = this.repo.receiverKey(plaintext.gid, senderId);
    try {
      const next = processSenderKeyDistribution(stored ? deserializeReceiverKeyState(stored) : null, plaintext.skd, {
        groupId: plaintext.gid,
        senderId,
      });
      this.repo.putReceiverKey(plaintext.gid, senderId, serializeReceiverKeyState(next));
    } catch (err) {
      if (!isSenderKeyError(err)) throw err;
      logger.warn('refused a sender key distribution', { gid: plaintext.gid, from: senderId, code: err.code });
    }
  }

  /** Distributions arrived: open the messages that waited for them. */
  retryHeld(): void {
    void this.enqueue(async () => {
      const account = this.options.account();
      if (!account) return;
      const held = this.repo.held();
      if (held.length === 0) return;
      const changes = emptyGroupChanges();
      this.options.store.transaction(() => {
        for (const row of held) this.open(account, row, changes, true);
      });
      this.announce(changes);
    });
  }
}

const GROUP_ERROR_TEXT: Partial<Record<string, string>> = {
  not_group_admin: 'only admins of this group can do that',
  not_owner: "only the group's owner can do that",
  not_group_member: 'you are not a member of this group',
  invalid_invite: 'this invite link is not valid or was revoked',
  group_full: 'the group is full',
  unknown_group: 'no such group',
};

function asIpcGroupError(err: unknown): unknown {
  if (err instanceof IpcError) return err;
  const code = err instanceof GroupLogError || err instanceof RelayError ? err.code : null;
  if (code === null) return err;
  if (code === 'not_group_admin' || code === 'not_owner' || code === 'not_group_member') {
    return new IpcError(code, GROUP_ERROR_TEXT[code]!);
  }
  if (code === 'unknown_group') return new IpcError('not_found', GROUP_ERROR_TEXT[code]!);
  if (err instanceof GroupLogError) return new IpcError('invalid_input', err.message);
  const text = GROUP_ERROR_TEXT[code];
  return text ? new IpcError('relay_error', text) : err;
}
