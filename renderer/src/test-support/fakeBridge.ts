/**
 * An in-memory ParleyBridge for tests: requests are answered by per-test handlers (or
 * fail with `unknown_request`), and `emit` delivers an event as the core would.
 */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { GroupMessageView, GroupView } from '../../../shared/ipc/groups';
import type {
  ChatView,
  EventName,
  EventPayload,
  MessageView,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';

type Handler<N extends RequestName> = (input: RequestInput<N>) => IpcResult<RequestOutput<N>>;

export class FakeBridge implements ParleyBridge {
  readonly calls: Array<{ name: RequestName; input: unknown }> = [];
  private readonly handlers = new Map<RequestName, (input: unknown) => IpcResult<unknown>>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  handle<N extends RequestName>(name: N, handler: Handler<N>): this {
    this.handlers.set(name, handler as (input: unknown) => IpcResult<unknown>);
    return this;
  }

  async invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>> {
    this.calls.push({ name, input });
    const handler = this.handlers.get(name);
    const result = handler ? handler(input) : { ok: false as const, code: 'unknown_request' as const, message: name };
    return result as IpcResult<RequestOutput<N>>;
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }

  listenerCount(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

let counter = 0;

/** A message view with sensible defaults; override what the test is about. */
export function message(overrides: Partial<MessageView> = {}): MessageView {
  counter += 1;
  return {
    id: `m${counter}`,
    kind: 'text',
    chatId: 'dm:bob',
    senderId: 'bob',
    fromMe: false,
    text: `message ${counter}`,
    sentAt: 1_700_000_000_000 + counter,
    ...overrides,
  };
}

/** Bob's direct chat as the core would describe it; override what the test is about. */
export function directChat(overrides: Partial<ChatView> = {}): ChatView {
  return {
    id: 'dm:bob',
    kind: 'direct',
    peer: { userId: 'bob', username: 'bob', displayName: 'Bob' },
    unread: 0,
    updatedAt: 1,
    encrypted: true,
    timer: 0,
    draft: '',
    readReceipts: true,
    security: { verified: false, keyChanged: false, sendingHeld: false },
    ...overrides,
  };
}

/** A group we own, as the core would describe it; override what the test is about. */
export function groupView(overrides: Partial<GroupView> = {}): GroupView {
  return {
    id: 'g_0000000000000000000000',
    kind: 'group',
    name: 'Weekend plans',
    role: 'owner',
    status: 'active',
    memberCount: 3,
    unread: 0,
    encrypted: true,
    membershipMismatch: false,
    lastMessage: null,
    invites: [],
    updatedAt: 1,
    timer: 0,
    draft: '',
    ...overrides,
  };
}

/** A line of that group (Bob's text by default); override what the test is about. */
export function groupMessage(overrides: Partial<GroupMessageView> = {}): GroupMessageView {
  counter += 1;
  return {
    groupId: 'g_0000000000000000000000',
    id: `gm${counter}`,
    localId: counter,
    senderId: 'bob',
    senderName: 'Bob',
    fromMe: false,
    kind: 'text',
    text: `group message ${counter}`,
    system: null,
    sentAt: 1_700_000_000_000 + counter,
    seq: counter,
    status: null,
    ...overrides,
  };
}
