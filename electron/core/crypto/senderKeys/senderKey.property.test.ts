/**
 * Property tests of Sender Keys under any delivery order, duplication and tampering, and of
 * what membership changes guarantee: a removed member reads nothing sent after its removal,
 * a new member nothing sent before its join.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../e2ee/bytes';
import type { Rng } from '../e2ee/rng';
import { e2eeReady } from '../e2ee/sodium';
import { isSenderKeyError } from './errors';
import {
  createSenderKey,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistribution,
  rotateSenderKey,
  senderKeyDistribution,
} from './senderKey';
import type { ReceiverKeyState, SenderKeyState } from './state';
import { errorCode, GROUP, seededRng, snapshotReceiver, T0, text } from './testSupport';

beforeAll(e2eeReady);

interface Sent {
  readonly from: string;
  readonly message: Uint8Array;
  readonly plaintext: string;
  readonly ad: Uint8Array;
}

/**
 * A group as its members' devices see it: each member's own chain, and each member's
 * receiving states for the others. Distribution is direct (in the app it rides the 1:1
 * sessions). Membership changes rotate every remaining member's chain.
 */
class Group {
  readonly rng: Rng;
  readonly own = new Map<string, SenderKeyState>();
  /** receiving[member][sender] */
  readonly receiving = new Map<string, Map<string, ReceiverKeyState>>();
  private counter = 0;

  constructor(seed: number, members: readonly string[]) {
    this.rng = seededRng(`group-${seed}`);
    for (const m of members) this.join(m, false);
    this.rotateAll();
  }

  get members(): string[] {
    return [...this.own.keys()];
  }

  /** Adds a member (with a fresh chain); `rotate` makes everyone rotate and redistribute, as the protocol demands. */
  join(member: string, rotate = true): void {
    this.own.set(member, createSenderKey({ groupId: GROUP, senderId: member, rng: this.rng }));
    this.receiving.set(member, new Map());
    if (rotate) this.rotateAll();
  }

  remove(member: string): void {
    this.own.delete(member);
    this.rotateAll();
  }

  /** Every current member rotates and distributes its new chain to every other current member. */
  rotateAll(): void {
    for (const sender of this.members) {
      const rotated = rotateSenderKey(this.own.get(sender)!, this.rng);
      this.own.set(sender, rotated);
      this.distribute(sender);
    }
  }

  distribute(sender: string): void {
    const dist = senderKeyDistribution(this.own.get(sender)!);
    for (const member of this.members) {
      if (member === sender) continue;
      const held = this.receiving.get(member)!;
      held.set(
        sender,
        processSenderKeyDistribution(held.get(sender) ?? null, dist, { groupId: GROUP, senderId: sender }),
      );
    }
  }

  send(from: string, ad: Uint8Array = new Uint8Array(0)): Sent {
    const plaintext = `${from}:${this.counter++}`;
    const out = groupEncrypt(this.own.get(from)!, utf8(plaintext), ad, this.rng);
    this.own.set(from, out.state);
    return { from, message: out.message, plaintext, ad };
  }

  /** Decrypts as `to`; on failure asserts `to`'s state for the sender is byte-identical, then rethrows. */
  deliver(to: string, sent: Sent): string {
    const held = this.receiving.get(to)!;
    const state = held.get(sent.from);
    if (!state) throw new Error('no state for sender');
    const before = snapshotReceiver(state);
    try {
      const out = groupDecrypt(state, sent.message, T0, sent.ad);
      held.set(sent.from, out.state);
      return text(out.plaintext);
    } catch (error) {
      expect(snapshotReceiver(held.get(sent.from)!)).toBe(before);
      throw error;
    }
  }
}

const MEMBERS = ['u_a', 'u_b', 'u_c'];

describe('any reordering and duplication', () => {
  it('every member decrypts every message exactly once; replays are refused as duplicate', () => {
    const command = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.nat() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
    );
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(command, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (seed, commands, flush) => {
          const group = new Group(seed, MEMBERS);
          // One (recipient, message) pair per copy the relay would deliver.
          const inFlight: { to: string; sent: Sent }[] = [];
          const delivered: { to: string; sent: Sent }[] = [];
          const deliver = (index: number) => {
            const [d] = inFlight.splice(index, 1);
            expect(group.deliver(d!.to, d!.sent)).toBe(d!.sent.plaintext);
            delivered.push(d!);
          };
          for (const c of commands) {
            if (c.kind === 'send') {
              const from = MEMBERS[c.from % MEMBERS.length]!;
              const sent = group.send(from, utf8(`ad-${c.from}`));
              for (const to of MEMBERS) if (to !== from) inFlight.push({ to, sent });
            } else if (c.kind === 'deliver' && inFlight.length > 0) {
              deliver(c.pick % inFlight.length);
            } else if (c.kind === 'replay' && delivered.length > 0) {
              const d = delivered[c.pick % delivered.length]!;
              expect(errorCode(() => group.deliver(d.to, d.sent))).toBe('duplicate');
            }
          }
          for (let i = 0; inFlight.length > 0; i++) deliver((flush[i] ?? 0) % inFlight.length);
          for (const d of delivered) expect(errorCode(() => group.deliver(d.to, d.sent))).toBe('duplicate');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('tampering', () => {
  it('flipping any byte of the message or the AD fails, changes nothing, and the genuine message still decrypts', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.nat({ max: 5 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.constantFrom('message' as const, 'ad' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (seed, before, ad, target, index, mask) => {
          const group = new Group(seed, ['u_a', 'u_b']);
          for (let i = 0; i < before; i++) group.deliver('u_b', group.send('u_a'));
          const sent = group.send('u_a', ad);
          let tampered: Sent;
          if (target === 'message') {
            const message = sent.message.slice();
            message[index % message.length]! ^= mask;
            tampered = { ...sent, message };
          } else if (ad.length === 0) {
            tampered = { ...sent, ad: Uint8Array.of(mask) };
          } else {
            const changed = ad.slice();
            changed[index % changed.length]! ^= mask;
            tampered = { ...sent, ad: changed };
          }
          let thrown: unknown;
          try {
            group.deliver('u_b', tampered); // asserts the state is unchanged on failure
          } catch (error) {
            thrown = error;
          }
          expect(isSenderKeyError(thrown), String(thrown)).toBe(true);
          expect(group.deliver('u_b', sent)).toBe(sent.plaintext);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('membership changes', () => {
  it('a removed member cannot decrypt anything sent after its removal, even with its generation forged forward', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 4 }), fc.nat({ max: 4 }), (seed, beforeCount, afterCount) => {
        const group = new Group(seed, ['u_a', 'u_b', 'u_c', 'u_eve']);
        for (let i = 0; i < beforeCount; i++) {
          for (const from of ['u_a', 'u_b']) {
            const sent = group.send(from);
            expect(group.deliver('u_eve', sent)).toBe(sent.plaintext);
          }
        }
        const eveHeld = new Map(group.receiving.get('u_eve')!);
        group.remove('u_eve');
        for (let i = 0; i <= afterCount; i++) {
          for (const from of ['u_a', 'u_b', 'u_c']) {
            const sent = group.send(from);
            for (const member of group.members)
              if (member !== from) expect(group.deliver(member, sent)).toBe(sent.plaintext);
            const old = eveHeld.get(from)!;
            expect(errorCode(() => groupDecrypt(old, sent.message, T0))).toBe('unknown_generation');
            // Her old chain key relabelled as the new generation: with the real signing key
            // swapped in too (the strongest she could hope for), the AEAD still fails.
            const realSigner = group.receiving.get(group.members.find((m) => m !== from)!)!.get(from)!;
            const forged = { ...old, generation: old.generation + 1, signingPublicKey: realSigner.signingPublicKey };
            expect(['decrypt_failed', 'duplicate']).toContain(errorCode(() => groupDecrypt(forged, sent.message, T0)));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a new member cannot decrypt anything sent before its join', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 4 }), (seed, beforeCount) => {
        const group = new Group(seed, ['u_a', 'u_b']);
        const earlier: Sent[] = [];
        for (let i = 0; i < beforeCount + 1; i++) {
          for (const from of ['u_a', 'u_b']) earlier.push(group.send(from));
        }
        group.join('u_new');
        for (const sent of earlier) {
          const held = group.receiving.get('u_new')!.get(sent.from)!;
          expect(errorCode(() => groupDecrypt(held, sent.message, T0))).toBe('stale_generation');
          const relabelled = { ...held, generation: 0 };
          expect(isSenderKeyError(catchError(() => groupDecrypt(relabelled, sent.message, T0)))).toBe(true);
        }
        const after = group.send('u_a');
        expect(group.deliver('u_new', after)).toBe(after.plaintext);
      }),
      { numRuns: 40 },
    );
  });

  it('without a rotation, a distribution still only opens messages from its number on', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 6 }), fc.nat({ max: 6 }), (seed, before, after) => {
        const rng = seededRng(`late-${seed}`);
        let sender = createSenderKey({ groupId: GROUP, senderId: 'u_a', rng });
        const early: Uint8Array[] = [];
        for (let i = 0; i < before; i++) {
          const out = groupEncrypt(sender, utf8(`e${i}`), undefined, rng);
          sender = out.state;
          early.push(out.message);
        }
        let joiner = processSenderKeyDistribution(null, senderKeyDistribution(sender), {
          groupId: GROUP,
          senderId: 'u_a',
        });
        for (let i = 0; i < after; i++) {
          const out = groupEncrypt(sender, utf8(`l${i}`), undefined, rng);
          sender = out.state;
          const r = groupDecrypt(joiner, out.message, T0);
          joiner = r.state;
          expect(text(r.plaintext)).toBe(`l${i}`);
        }
        for (const m of early) expect(errorCode(() => groupDecrypt(joiner, m, T0))).toBe('duplicate');
      }),
      { numRuns: 40 },
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
