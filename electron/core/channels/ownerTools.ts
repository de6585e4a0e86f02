/**
 * The owner's changes to a channel after creating it: the avatar (changed or removed) and
 * the admin list (listed, one removed). Only the owner's core holds the channel's secret
 * key, which signs a removal; the relay answers with the channel's new info.
 */
import { IpcError, type ChannelAdminView, type ChannelView } from '../../../shared/ipc';
import { channelRevocationMessage, type ChannelInfoWire } from '../../../shared/protocol';
import { sodium } from '../crypto/sodium';
import type { RelayConnection } from '../relay/connection';
import { decodeAvatar } from './avatar';
import type { ChannelRepo, ChannelRow } from './repo';

/** What the tools need from the channel service. */
export interface ChannelOwnerHost {
  readonly repo: ChannelRepo;
  readonly relay: RelayConnection;
  /** Stores the channel's info as the relay answered it. */
  storeInfo(info: ChannelInfoWire): void;
  /** The channel's view, announced to the renderer. */
  emitChannel(channelId: string): ChannelView;
}

export class ChannelOwnerTools {
  constructor(private readonly host: ChannelOwnerHost) {}

  /** A new avatar (base64 from the contract) or none (null). */
  async setAvatar(channelId: string, avatar: string | null): Promise<ChannelView> {
    // Checked before anything goes out: a bad picture changes nothing.
    const bytes = avatar === null ? null : decodeAvatar(avatar);
    this.requireOwner(channelId);
    const answer = await this.host.relay.request({ t: 'chanSetAvatar', channelId, avatar: bytes });
    this.host.storeInfo(answer.info);
    return this.host.emitChannel(channelId);
  }

  async admins(channelId: string): Promise<ChannelAdminView[]> {
    this.requireOwner(channelId);
    const answer = await this.host.relay.request({ t: 'chanAdmins', channelId });
    return answer.admins.map((admin) => ({
      userId: admin.userId,
      username: admin.username,
      displayName: admin.displayName,
      isOwner: admin.owner,
    }));
  }

  async removeAdmin(channelId: string, userId: string): Promise<ChannelView> {
    const row = this.requireOwner(channelId);
    const secretKey = row.channel_secret_key;
    if (!secretKey) throw new IpcError('relay_error', "this device does not hold the channel's key");
    // The revocation names the key the admin was certified for, which only the relay's list has
    // (they may have reset their identity key since).
    const { admins } = await this.host.relay.request({ t: 'chanAdmins', channelId });
    const admin = admins.find((a) => a.userId === userId);
    if (!admin) throw new IpcError('not_found', 'that user is not an admin of this channel');
    if (admin.owner) throw new IpcError('invalid_input', 'the owner cannot be removed as an admin');
    const sig = sodium.crypto_sign_detached(channelRevocationMessage(row.channel_key, admin.identityKey), secretKey);
    const answer = await this.host.relay.request({
      t: 'chanUnadmin',
      channelId,
      userId,
      identityKey: admin.identityKey,
      sig,
    });
    this.host.storeInfo(answer.info);
    return this.host.emitChannel(channelId);
  }

  private requireOwner(channelId: string): ChannelRow {
    const row = this.host.repo.get(channelId);
    if (!row) throw new IpcError('not_found', 'not subscribed to this channel');
    if (row.role !== 'owner') throw new IpcError('relay_error', "only the channel's owner can do that");
    return row;
  }
}
