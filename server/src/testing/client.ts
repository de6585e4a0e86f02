/**
 * A real protocol client for tests and benchmarks: a `ws` WebSocket speaking shared/protocol
 * frames, with libsodium keys. Requests return the relay's answer frame (the specific result
 * or an `err`); pushed `msg` frames collect in `messages`.
 *
 * Every frame from the relay is validated with the protocol schema; an invalid one fails
 * every pending wait, so a relay bug cannot hide behind a lenient test client.
 *
 * ```ts
 * const { client: alice } = await signUp(relay.url, 'alice');
 * const { client: bob, user: bobUser, identity: bobKeys } = await signUp(relay.url, 'bob');
 * expectFrame(await alice.send(bobUser.userId, sealFor(bobUser, 'hi')), 'sent');
 * expectFrame(await bob.sync(), 'ok');
 * const [msg] = await bob.waitForMessages(1);
 * ```
 */
import { randomUUID } from 'node:crypto';
import { Packr } from 'msgpackr';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  decodeServerFrame,
  encodeFrame,
  type ClientFrame,
  type FrameOf,
  type OneTimePreKeyWire,
  type PublicUser,
  type ServerFrame,
  type SignedPreKeyWire,
} from '../../../shared/protocol';
import { createIdentity, rekeyProofs, signChallenge, type TestIdentity } from './identity';

export {
  createIdentity,
  createOneTimePreKeys,
  createSignedPreKey,
  openSealed,
  rekeyProofs,
  sealFor,
  signChallenge,
  type TestIdentity,
  type TestOneTimePreKey,
  type TestSignedPreKey,
} from './identity';

export type HelloFrame = FrameOf<ServerFrame, 'hello'>;
export type MsgFrame = FrameOf<ServerFrame, 'msg'>;
export type ErrFrame = FrameOf<ServerFrame, 'err'>;
/** A client frame without its request id (the client numbers requests itself). */
export type ClientRequest = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'id'> : never) : never;

export interface ConnectOptions {
  /** Answer the relay's heartbeat pings (default true). false simulates a peer that went silent. */
  readonly autoPong?: boolean;
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Raw MessagePack, for sending frames the protocol schema would reject. */
const rawPackr = new Packr({ useRecords: false, mapsAsObjects: true });

export class RelayTestClient {
  /** Every frame received, in order (including hello and answers). */
  readonly frames: ServerFrame[] = [];
  /** Pushed envelopes, in arrival order. */
  readonly messages: MsgFrame[] = [];
  /** `err` frames without `re`: connection-level errors such as idle_timeout or shutting_down. */
  readonly connectionErrors: ErrFrame[] = [];
  /** Resolves when the socket closes, with the relay's close code and reason. */
  readonly closed: Promise<CloseInfo>;

  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (frame: ServerFrame) => void; reject: (e: Error) => void }>();
  private readonly watchers = new Set<() => void>();
  private failure: Error | undefined;
  private closeInfo: CloseInfo | undefined;
  private helloFrame: HelloFrame | undefined;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.fail(new Error(`connection closed (${code} ${reason.toString()})`));
        resolve(this.closeInfo);
      });
    });
    ws.on('error', (error) => this.fail(error));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
  }

  /** Connects and waits for the relay's `hello`. */
  static async connect(url: string, options: ConnectOptions = {}): Promise<RelayTestClient> {
    const ws = new WebSocket(url, { autoPong: options.autoPong ?? true, perMessageDeflate: false });
    const client = new RelayTestClient(ws);
    await client.waitUntil(() => client.helloFrame);
    return client;
  }

  /** The relay's greeting (challenge and limits). */
  get hello(): HelloFrame {
    if (!this.helloFrame) throw new Error('no hello received yet');
    return this.helloFrame;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a request and resolves with its answer (the result frame or an `err`). */
  request(frame: ClientRequest): Promise<ServerFrame> {
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.pending.set(id, { resolve, reject });
      this.ws.send(encodeFrame({ ...frame, id } as ClientFrame));
    });
  }

  register(
    identity: TestIdentity,
    profile: { username: string; displayName?: string },
    options: { version?: number; sig?: Uint8Array<ArrayBuffer> } = {},
  ): Promise<ServerFrame> {
    return this.request({
      t: 'register',
      v: options.version ?? PROTOCOL_VERSION,
      username: profile.username,
      displayName: profile.displayName ?? profile.username,
      identityKey: identity.identityKey,
      dhKey: identity.dhKey,
      dhKeySig: identity.dhKeySig,
      sig: options.sig ?? signChallenge(identity, this.hello.challenge),
    });
  }

  login(identity: TestIdentity, options: { version?: number } = {}): Promise<ServerFrame> {
    return this.request({
      t: 'login',
      v: options.version ?? PROTOCOL_VERSION,
      identityKey: identity.identityKey,
      sig: signChallenge(identity, this.hello.challenge),
    });
  }

  lookup(query: { username: string } | { userId: string }): Promise<ServerFrame> {
    return this.request({ t: 'lookup', ...query });
  }

  search(prefix: string): Promise<ServerFrame> {
    return this.request({ t: 'search', prefix });
  }

  updateProfile(displayName: string): Promise<ServerFrame> {
    return this.request({ t: 'profile', displayName });
  }

  /** Sends an envelope; `msgId` defaults to a fresh UUID. */
  send(to: string, body: Uint8Array<ArrayBuffer>, msgId: string = randomUUID(), after?: string): Promise<ServerFrame> {
    return this.request({ t: 'send', to, body, msgId, ...(after !== undefined ? { after } : {}) });
  }

  /** Sends an envelope encrypted for the recipient identity key `toKey`. */
  sendToKey(
    to: string,
    toKey: Uint8Array<ArrayBuffer>,
    body: Uint8Array<ArrayBuffer>,
    msgId: string = randomUUID(),
    after?: string,
  ): Promise<ServerFrame> {
    return this.request({ t: 'send', to, toKey, body, msgId, ...(after !== undefined ? { after } : {}) });
  }

  /** Publishes prekeys (both optional; none just asks for the state). */
  uploadPreKeys(
    upload: { signedPreKey?: SignedPreKeyWire; oneTimePreKeys?: readonly OneTimePreKeyWire[] } = {},
  ): Promise<ServerFrame> {
    return this.request({
      t: 'prekeys',
      ...(upload.signedPreKey ? { signedPreKey: upload.signedPreKey } : {}),
      oneTimePreKeys: [...(upload.oneTimePreKeys ?? [])],
    });
  }

  fetchBundle(userId: string): Promise<ServerFrame> {
    return this.request({ t: 'bundle', userId });
  }

  /** Moves the signed-in account from `previous` to `next` (the identity reset). */
  rekey(previous: TestIdentity, next: TestIdentity): Promise<ServerFrame> {
    return this.request({ t: 'rekey', ...rekeyProofs(previous, next, this.hello.challenge) });
  }

  /** Which conversation partners changed their identity key after `since` (relay clock). */
  keysChanged(since: number): Promise<ServerFrame> {
    return this.request({ t: 'keysChanged', since });
  }

  sync(): Promise<ServerFrame> {
    return this.request({ t: 'sync' });
  }

  ack(eids: readonly number[]): Promise<ServerFrame> {
    return this.request({ t: 'ack', eids: [...eids] });
  }

  ping(): Promise<ServerFrame> {
    return this.request({ t: 'ping' });
  }

  /** Sends bytes (binary) or a string (a text frame) exactly as given. */
  sendRaw(data: Uint8Array | string): void {
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** MessagePack-encodes any value without schema checks (for malformed-frame tests). */
  sendObject(value: unknown): void {
    this.sendRaw(rawPackr.pack(value));
  }

  /** Resolves with the first `count` pushed messages once that many have arrived. */
  waitForMessages(count: number): Promise<MsgFrame[]> {
    return this.waitUntil(() => (this.messages.length >= count ? this.messages.slice(0, count) : undefined));
  }

  /**
   * Resolves with probe()'s value as soon as it is not undefined; probe runs now and after
   * every received frame. Rejects if the connection closes or the relay breaks the protocol
   * first (unless the probe is satisfied by then).
   */
  waitUntil<T>(probe: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          this.watchers.delete(check);
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value !== undefined) {
          this.watchers.delete(check);
          resolve(value);
        } else if (this.failure) {
          this.watchers.delete(check);
          reject(this.failure);
        }
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Closes the socket normally and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    await this.closed;
  }

  /** Drops the TCP connection without a close handshake (a crashed client). */
  async terminate(): Promise<void> {
    this.ws.terminate();
    await this.closed;
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (!isBinary) {
      this.fail(new Error('the relay sent a text frame'));
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data as ArrayBuffer | Buffer);
    const decoded = decodeServerFrame(bytes);
    if (!decoded.ok) {
      this.fail(new Error(`the relay sent an invalid frame: ${decoded.message}`));
      return;
    }
    const frame = decoded.frame;
    this.frames.push(frame);
    switch (frame.t) {
      case 'hello':
        this.helloFrame = frame;
        break;
      case 'msg':
        this.messages.push(frame);
        break;
      case 'err':
        if (frame.re === undefined) this.connectionErrors.push(frame);
        break;
    }
    if ('re' in frame && frame.re !== undefined) {
      const waiter = this.pending.get(frame.re);
      this.pending.delete(frame.re);
      waiter?.resolve(frame);
    }
    this.notifyWatchers();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
    this.notifyWatchers();
  }

  private notifyWatchers(): void {
    for (const check of [...this.watchers]) check();
  }
}

/** Narrows an answer to the expected frame type, or throws with what arrived instead. */
export function expectFrame<T extends ServerFrame['t']>(frame: ServerFrame, type: T): FrameOf<ServerFrame, T> {
  if (frame.t !== type) {
    const detail = frame.t === 'err' ? `err ${frame.code}: ${frame.message}` : frame.t;
    throw new Error(`expected '${type}' but the relay answered ${detail}`);
  }
  return frame as FrameOf<ServerFrame, T>;
}

export interface SignedUpClient {
  readonly client: RelayTestClient;
  readonly identity: TestIdentity;
  readonly user: PublicUser;
}

/** Connects, creates an identity and registers it; throws unless the relay answers `session`. */
export async function signUp(url: string, username: string, displayName?: string): Promise<SignedUpClient> {
  const identity = await createIdentity();
  const client = await RelayTestClient.connect(url);
  try {
    const session = expectFrame(await client.register(identity, { username, displayName }), 'session');
    return { client, identity, user: session.user };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Connects and logs in with an existing identity; throws unless the relay answers `session`. */
export async function signIn(
  url: string,
  identity: TestIdentity,
  options: ConnectOptions = {},
): Promise<{ client: RelayTestClient; user: PublicUser }> {
  const client = await RelayTestClient.connect(url, options);
  try {
    const session = expectFrame(await client.login(identity), 'session');
    return { client, user: session.user };
  } catch (error) {
    await client.close();
    throw error;
  }
}
