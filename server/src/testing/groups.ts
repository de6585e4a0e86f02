/**
 * A group-speaking test client (the core does not speak group frames yet, and
 * RelayTestClient decodes the base protocol only): real WebSocket, real registration, and
 * signed group changes made exactly as a client core will make them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  decodeServerFrame,
  encodeFrame,
  groupChangeSignedBytes,
  type FrameOf,
  type GroupChangeWire,
  type GroupMemberWire,
  type ClientFrame,
  type ServerFrame,
} from '../../../shared/protocol';
import { memberListHash } from '../groups/signatures';
import { createIdentity, signChallenge, type TestIdentity } from './identity';

type Request = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'id'> : never) : never;
export type GMsg = FrameOf<ServerFrame, 'gMsg'>;

export const newGroupId = (): string => `g_${randomBytes(16).toString('base64url')}`;
export const newInviteToken = (): string => randomBytes(24).toString('base64url');

export class GroupTestClient {
  readonly frames: ServerFrame[] = [];
  readonly messages: GMsg[] = [];
  userId = '';
  private challenge: Uint8Array | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (frame: ServerFrame) => void>();
  private readonly watchers = new Set<() => void>();
  readonly closed: Promise<void>;

  private constructor(
    private readonly ws: WebSocket,
    readonly identity: TestIdentity,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data) => {
      const decoded = decodeServerFrame(new Uint8Array(data as Buffer));
      if (!decoded.ok) throw new Error(`invalid frame from the relay: ${decoded.message}`);
      const frame = decoded.frame;
      this.frames.push(frame);
      if (frame.t === 'hello') this.challenge = frame.challenge;
      if (frame.t === 'gMsg') this.messages.push(frame);
      if ('re' in frame && frame.re !== undefined) {
        this.pending.get(frame.re)?.(frame);
        this.pending.delete(frame.re);
      }
      for (const watcher of [...this.watchers]) watcher();
    });
  }

  static async signUp(url: string, username: string): Promise<GroupTestClient> {
    const identity = await createIdentity();
    const client = await GroupTestClient.connect(url, identity);
    const session = await client.request({
      t: 'register',
      v: PROTOCOL_VERSION,
      username,
      displayName: username,
      identityKey: identity.identityKey,
      dhKey: identity.dhKey,
      dhKeySig: identity.dhKeySig,
      sig: signChallenge(identity, client.challenge!),
    });
    if (session.t !== 'session') throw new Error(`register failed: ${JSON.stringify(session)}`);
    client.userId = session.user.userId;
    return client;
  }

  /** A new connection of an existing account. */
  static async signIn(url: string, identity: TestIdentity): Promise<GroupTestClient> {
    const client = await GroupTestClient.connect(url, identity);
    const session = await client.request({
      t: 'login',
      v: PROTOCOL_VERSION,
      identityKey: identity.identityKey,
      sig: signChallenge(identity, client.challenge!),
    });
    if (session.t !== 'session') throw new Error(`login failed: ${JSON.stringify(session)}`);
    client.userId = session.user.userId;
    return client;
  }

  private static async connect(url: string, identity: TestIdentity): Promise<GroupTestClient> {
    const client = new GroupTestClient(new WebSocket(url, { perMessageDeflate: false }), identity);
    await client.waitUntil(() => client.challenge);
    return client;
  }

  request(frame: Request): Promise<ServerFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(encodeFrame({ ...frame, id } as ClientFrame));
    });
  }

  /** Signs a change with this client's identity key (or `signer`'s, to forge one). */
  sign(change: Omit<GroupChangeWire, 'sig' | 'ts'>, signer: TestIdentity = this.identity): GroupChangeWire {
    const sig = sodium.crypto_sign_detached(groupChangeSignedBytes(change), signer.identitySecretKey);
    return { ...change, sig: new Uint8Array(sig), ts: 0 };
  }

  /** A signed change of the group as `members` describes it now, at `version` → `version + 1`. */
  change(
    gid: string,
    version: number,
    action: GroupChangeWire['action'],
    after: readonly GroupMemberWire[],
    fields: Partial<Pick<GroupChangeWire, 'targets' | 'name' | 'invite'>> = {},
  ): GroupChangeWire {
    return this.sign({
      gid,
      version: version + 1,
      action,
      actor: this.userId,
      targets: fields.targets ?? [],
      name: fields.name ?? null,
      invite: fields.invite ?? null,
      memberHash: memberListHash(after) as Uint8Array<ArrayBuffer>,
    });
  }

  /** `purgeAt`: a self-destructing message's relay deadline (ms since epoch). */
  send(gid: string, body: Uint8Array, msgId: string = randomUUID(), purgeAt?: number): Promise<ServerFrame> {
    return this.request({
      t: 'gSend',
      gid,
      msgId,
      body: body as Uint8Array<ArrayBuffer>,
      ...(purgeAt !== undefined ? { purgeAt } : {}),
    });
  }

  /** Resolves with `check()`'s value once it is truthy (re-checked on every frame). */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error('timed out waiting'));
      }, timeoutMs);
      const watcher = () => {
        const value = check();
        if (value) {
          clearTimeout(timer);
          this.watchers.delete(watcher);
          resolve(value);
        }
      };
      this.watchers.add(watcher);
    });
  }

  async close(): Promise<void> {
    this.ws.close(1000);
    await this.closed;
  }
}

/** Members as the relay lists them: owner, then `others` as members (sorted later by the hash). */
export function membersOf(owner: string, others: readonly string[], admins: readonly string[] = []): GroupMemberWire[] {
  return [
    { userId: owner, role: 'owner' },
    ...others.map((userId) => ({ userId, role: admins.includes(userId) ? ('admin' as const) : ('member' as const) })),
  ];
}

/** `owner` creates a group with `others` (a signed `create` change); then every one of them sends gSync. */
export async function createSyncedGroup(
  owner: GroupTestClient,
  others: readonly GroupTestClient[],
  name = 'Team',
): Promise<{ gid: string; members: GroupMemberWire[] }> {
  const gid = newGroupId();
  const members = membersOf(
    owner.userId,
    others.map((o) => o.userId),
  );
  const change = owner.sign({
    gid,
    version: 1,
    action: 'create',
    actor: owner.userId,
    targets: others.map((o) => o.userId),
    name,
    invite: null,
    memberHash: memberListHash(members) as Uint8Array<ArrayBuffer>,
  });
  expectOk(await owner.request({ t: 'gCreate', change }), 'gState');
  for (const c of [owner, ...others]) expectOk(await c.request({ t: 'gSync' }), 'ok');
  return { gid, members };
}

export function expectOk<T extends ServerFrame['t']>(frame: ServerFrame, type: T): FrameOf<ServerFrame, T> {
  if (frame.t !== type) {
    throw new Error(`expected '${type}', got ${frame.t === 'err' ? `err ${frame.code}: ${frame.message}` : frame.t}`);
  }
  return frame as FrameOf<ServerFrame, T>;
}

export function errCode(frame: ServerFrame): string {
  return frame.t === 'err' ? frame.code : `no error (${frame.t})`;
}
