/**
 * Delivery of group messages to online members. A message is read from the one stored copy
 * and pushed to each member connection in per-group sequence order, after that member's
 * cursor; a connection pushes at most `window` messages of a group beyond what it
 * acknowledged, then waits for its `gAck`.
 *
 * Per connection and group the hub remembers the last sequence number pushed. A live
 * message that is exactly the next one is written straight away; anything else (a gap, a
 * full window, a catch-up in progress) is fetched from storage by the connection's pump for
 * that group, which loops until it finds nothing new. Removal from a group forgets the
 * group for that user's connections at once, and every storage read re-checks membership.
 *
 * A self-destructing message is never pushed at or after its purge deadline: the live push
 * checks it, and the storage read leaves such rows out (the relay clock decides, not the client's).
 *
 * Single relay node: like channel fan-out, this hub is in-process (several nodes would
 * relay the "new message" hint over the Bus).
 */
import type { ServerFrame } from '../../../shared/protocol';
import type { Logger } from '../log/logger';
import { describeError } from '../log/logger';
import type { GroupStore } from './store';

export interface GroupPeer {
  readonly connectionId: string;
  readonly userId: string;
  send(frame: ServerFrame): void;
}

interface PeerState {
  readonly peer: GroupPeer;
  synced: boolean;
  readonly pushed: Map<string, number>;
  readonly acked: Map<string, number>;
  readonly pumping: Set<string>;
  readonly dirty: Set<string>;
}

export class GroupHub {
  /** userId → connectionId → state */
  private readonly peers = new Map<string, Map<string, PeerState>>();
  private readonly memberCache = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly store: GroupStore,
    private readonly logger: Logger,
    private readonly window: number,
    private readonly batch: number,
    /** Clock for purge deadlines (ms since epoch), the relay's. */
    private readonly now: () => number,
  ) {}

  /** Registers a signed-in connection (idempotent), so it receives change pushes. */
  ensure(peer: GroupPeer): void {
    let byConnection = this.peers.get(peer.userId);
    if (!byConnection) {
      byConnection = new Map();
      this.peers.set(peer.userId, byConnection);
    }
    if (!byConnection.has(peer.connectionId)) {
      byConnection.set(peer.connectionId, {
        peer,
        synced: false,
        pushed: new Map(),
        acked: new Map(),
        pumping: new Set(),
        dirty: new Set(),
      });
    }
  }

  /** The connection closed. */
  detach(connectionId: string, userId: string | undefined): void {
    if (userId === undefined) return;
    const byConnection = this.peers.get(userId);
    byConnection?.delete(connectionId);
    if (byConnection?.size === 0) this.peers.delete(userId);
  }

  /** gSync: push every group's messages after the member's cursor, then keep pushing live ones. */
  async sync(peer: GroupPeer): Promise<void> {
    this.ensure(peer);
    const state = this.state(peer);
    if (!state) return;
    state.synced = true;
    for (const { groupId, cursor } of await this.store.groupsOf(peer.userId)) {
      state.pushed.set(groupId, cursor);
      state.acked.set(groupId, cursor);
      this.pump(state, groupId);
    }
  }

  /**
   * A new message was committed: push it to the group's online members. A member is never
   * sent its own messages (its cursor moved past them when they were stored); its
   * connections just count them as pushed and acknowledged.
   */
  async published(
    groupId: string,
    seq: number,
    senderId: string,
    frame: ServerFrame,
    purgeAt: number | undefined,
  ): Promise<void> {
    const members = await this.members(groupId);
    // Past its deadline (maybe while the member list was read): not pushed; connections
    // waiting for this seq find the next one through their pump, which skips it too.
    if (purgeAt !== undefined && purgeAt <= this.now()) return;
    for (const userId of members) {
      for (const state of this.peers.get(userId)?.values() ?? []) {
        if (!state.synced) continue;
        const pushed = state.pushed.get(groupId);
        const acked = state.acked.get(groupId) ?? 0;
        const own = userId === senderId;
        if (own) state.acked.set(groupId, Math.max(acked, seq));
        if (pushed === seq - 1 && !state.pumping.has(groupId) && (own || pushed - acked < this.window)) {
          if (!own) state.peer.send(frame);
          state.pushed.set(groupId, seq);
        } else if (pushed === undefined || seq > pushed) {
          this.pump(state, groupId);
        }
      }
    }
  }

  /**
   * Ephemeral "typing" signal: pushed once to each registered connection of the group's other
   * members, right now. Nothing is stored or queued, so a member who connects later never sees it.
   */
  async typing(groupId: string, from: string): Promise<void> {
    const frame: ServerFrame = { t: 'gTyping', gid: groupId, from };
    for (const userId of await this.members(groupId)) {
      if (userId === from) continue;
      for (const state of this.peers.get(userId)?.values() ?? []) state.peer.send(frame);
    }
  }

  /** The member acknowledged up to `seq`: its connections may push more. */
  acknowledged(userId: string, groupId: string, seq: number): void {
    for (const state of this.peers.get(userId)?.values() ?? []) {
      if (!state.synced) continue;
      state.acked.set(groupId, Math.max(state.acked.get(groupId) ?? 0, seq));
      this.pump(state, groupId);
    }
  }

  /** Membership changed: forget cached members; removed users' connections stop receiving the group now. */
  membershipChanged(groupId: string, removed: readonly string[]): void {
    this.memberCache.delete(groupId);
    for (const userId of removed) {
      for (const state of this.peers.get(userId)?.values() ?? []) {
        state.pushed.delete(groupId);
        state.acked.delete(groupId);
        state.dirty.delete(groupId);
      }
    }
  }

  /** Sends a push to every registered connection of these users. */
  notify(userIds: Iterable<string>, frame: ServerFrame): void {
    for (const userId of userIds) {
      for (const state of this.peers.get(userId)?.values() ?? []) state.peer.send(frame);
    }
  }

  private state(peer: GroupPeer): PeerState | undefined {
    return this.peers.get(peer.userId)?.get(peer.connectionId);
  }

  private members(groupId: string): Promise<ReadonlySet<string>> {
    let cached = this.memberCache.get(groupId);
    if (!cached) {
      cached = this.store.memberIds(groupId).then((ids) => new Set(ids));
      this.memberCache.set(groupId, cached);
      cached.catch(() => this.memberCache.delete(groupId));
    }
    return cached;
  }

  private pump(state: PeerState, groupId: string): void {
    if (state.pumping.has(groupId)) {
      state.dirty.add(groupId);
      return;
    }
    state.pumping.add(groupId);
    void this.runPump(state, groupId)
      .catch((error: unknown) =>
        this.logger.warn('group delivery failed', { group: groupId, error: describeError(error) }),
      )
      .finally(() => state.pumping.delete(groupId));
  }

  private async runPump(state: PeerState, groupId: string): Promise<void> {
    const { peer } = state;
    for (;;) {
      state.dirty.delete(groupId);
      let pushed = state.pushed.get(groupId);
      if (pushed === undefined) {
        // A group this connection has not pushed yet (joined since gSync): start at the cursor.
        const entry = (await this.store.groupsOf(peer.userId)).find((g) => g.groupId === groupId);
        if (!entry) return;
        pushed = entry.cursor;
        state.pushed.set(groupId, pushed);
        state.acked.set(groupId, Math.max(state.acked.get(groupId) ?? 0, entry.cursor));
      }
      const room = this.window - (pushed - (state.acked.get(groupId) ?? 0));
      if (room <= 0) return; // the next gAck resumes
      const messages = await this.store.messagesAfter(
        groupId,
        peer.userId,
        pushed,
        Math.min(room, this.batch),
        this.now(),
      );
      if (!this.state(peer) || state.pushed.get(groupId) !== pushed) return; // detached or removed meanwhile
      if (messages.length === 0) {
        if (state.dirty.has(groupId)) continue;
        return;
      }
      for (const m of messages) {
        if (m.senderId === peer.userId) continue; // its own message: already has it
        peer.send({
          t: 'gMsg',
          gid: groupId,
          seq: m.seq,
          from: m.senderId,
          msgId: m.msgId,
          ts: m.ts,
          body: m.body as Uint8Array<ArrayBuffer>,
          ...(m.version !== undefined ? { version: m.version } : {}),
        });
      }
      state.pushed.set(groupId, messages[messages.length - 1]!.seq);
    }
  }
}
