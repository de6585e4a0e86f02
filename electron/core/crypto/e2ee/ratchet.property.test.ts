/**
 * Property tests of the whole protocol: X3DH set-up plus the Double Ratchet under any
 * delivery order, duplication and tampering.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from './bytes';
import { isE2eeError } from './errors';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { acceptSession, initiateSession, startsNewSession } from './session';
import { MAX_SKIP } from './skipped';
import { e2eeReady } from './sodium';
import type { SessionState } from './state';
import {
  bundleOf,
  errorCode,
  establishedPair,
  makeDevice,
  seededRng,
  snapshot,
  T0,
  type TestDevice,
} from './testSupport';

beforeAll(e2eeReady);

type Party = 'A' | 'B';
const other = (p: Party): Party => (p === 'A' ? 'B' : 'A');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Sent {
  readonly to: Party;
  readonly message: Uint8Array;
  readonly plaintext: string;
  readonly ad: Uint8Array;
}

/** Two devices and their sessions; Bob has none until Alice's first message reaches him. */
class Conversation {
  readonly rng;
  readonly devices: Record<Party, TestDevice>;
  readonly states: Record<Party, SessionState | null>;
  private counter = 0;

  constructor(seed: number) {
    this.rng = seededRng(`conversation-${seed}`);
    this.devices = { A: makeDevice(this.rng), B: makeDevice(this.rng) };
    const started = initiateSession({
      identity: this.devices.A.identity,
      bundle: bundleOf(this.devices.B),
      rng: this.rng,
    });
    this.states = { A: started.state, B: null };
  }

  /** null when `from` cannot send yet (Bob before he has a session). */
  send(from: Party, ad: Uint8Array = new Uint8Array(0)): Sent | null {
    const state = this.states[from];
    if (!state) return null;
    const plaintext = `${from}:${this.counter++}`;
    const out = ratchetEncrypt(state, utf8(plaintext), ad, this.rng);
    this.states[from] = out.state;
    return { to: other(from), message: out.message, plaintext, ad };
  }

  /** Decrypts as a client would (routing session-starting messages); throws on failure, changing nothing. */
  receive(to: Party, message: Uint8Array, ad: Uint8Array) {
    const state = this.states[to];
    if (startsNewSession(state, message)) {
      const device = this.devices[to];
      return acceptSession({ identity: device.identity, message, preKeys: device.preKeys, now: T0, ad, rng: this.rng });
    }
    if (!state) throw new Error('no session');
    return ratchetDecrypt(state, message, T0, ad, this.rng);
  }

  /** receive(), asserting that a failure leaves the recipient's state byte-identical. */
  deliver(sent: Sent): string {
    const before = this.states[sent.to] && snapshot(this.states[sent.to]!);
    const consumedBefore = this.devices[sent.to].consumed.length;
    try {
      const result = this.receive(sent.to, sent.message, sent.ad);
      this.states[sent.to] = result.state;
      return text(result.plaintext);
    } catch (error) {
      expect(this.states[sent.to] && snapshot(this.states[sent.to]!)).toBe(before);
      expect(this.devices[sent.to].consumed).toHaveLength(consumedBefore);
      throw error;
    }
  }
}

const command = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom<Party>('A', 'B') }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

describe('any interleaving, reordering and duplication', () => {
  it('decrypts every message exactly once with the right plaintext; duplicates are refused', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(command, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (seed, commands, flushOrder) => {
          const conv = new Conversation(seed);
          const inFlight: Sent[] = [];
          const delivered: Sent[] = [];
          const deliver = (index: number) => {
            const [sent] = inFlight.splice(index, 1);
            expect(conv.deliver(sent!)).toBe(sent!.plaintext);
            delivered.push(sent!);
          };
          const replay = (sent: Sent) => {
            expect(errorCode(() => conv.deliver(sent))).toBe('duplicate');
          };
          for (const c of commands) {
            if (c.kind === 'send') {
              const sent = conv.send(c.from);
              if (sent) inFlight.push(sent);
            } else if (c.kind === 'deliver' && inFlight.length > 0) {
              deliver(c.pick % inFlight.length);
            } else if (c.kind === 'replay' && delivered.length > 0) {
              replay(delivered[c.pick % delivered.length]!);
            }
          }
          for (let i = 0; inFlight.length > 0; i++) deliver((flushOrder[i] ?? 0) % inFlight.length);
          for (const sent of delivered) replay(sent);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('tampering', () => {
  it('flipping any byte of the envelope or the associated data fails and changes nothing', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.constantFrom<Party>('A', 'B'), { maxLength: 6 }),
        fc.constantFrom<Party>('A', 'B'),
        fc.uint8Array({ maxLength: 16 }),
        fc.constantFrom('envelope' as const, 'ad' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (seed, history, from, ad, target, index, mask) => {
          const conv = new Conversation(seed);
          for (const sender of history) {
            const sent = conv.send(sender);
            if (sent) expect(conv.deliver(sent)).toBe(sent.plaintext);
          }
          const sent = conv.send(conv.states[from] ? from : 'A', ad);
          let tampered: Sent;
          if (target === 'envelope') {
            const message = sent!.message.slice();
            message[index % message.length]! ^= mask;
            tampered = { ...sent!, message };
          } else if (ad.length === 0) {
            tampered = { ...sent!, ad: Uint8Array.of(mask) };
          } else {
            const changed = ad.slice();
            changed[index % changed.length]! ^= mask;
            tampered = { ...sent!, ad: changed };
          }
          // deliver() itself asserts the state is unchanged on failure.
          let thrown: unknown;
          try {
            conv.deliver(tampered);
          } catch (error) {
            thrown = error;
          }
          expect(isE2eeError(thrown), String(thrown)).toBe(true);
          // The genuine message still decrypts: the failure did no damage.
          expect(conv.deliver(sent!)).toBe(sent!.plaintext);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('gaps', () => {
  // One long run of Alice's messages on a fresh chain, shared by all runs.
  const LONG = MAX_SKIP + 30;
  let b: SessionState;
  let messages: Uint8Array[];
  beforeAll(() => {
    const pair = establishedPair('gap-property');
    let a = pair.a;
    b = pair.b;
    messages = [];
    for (let i = 0; i < LONG; i++) {
      const out = ratchetEncrypt(a, utf8(`g${i}`));
      a = out.state;
      messages.push(out.message);
    }
  });

  it('a gap beyond MAX_SKIP errors with the state unchanged; up to MAX_SKIP decrypts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LONG - 1 }), fc.boolean(), (k, firstReceived) => {
        // Either a new chain (DH step, gap = k) or the current one after message 0 (gap = k - 1).
        const state = firstReceived ? ratchetDecrypt(b, messages[0]!, T0).state : b;
        const gap = firstReceived ? k - 1 : k;
        const before = snapshot(state);
        if (gap > MAX_SKIP) {
          expect(errorCode(() => ratchetDecrypt(state, messages[k]!, T0))).toBe('too_many_skipped');
          expect(snapshot(state)).toBe(before);
        } else {
          const out = ratchetDecrypt(state, messages[k]!, T0);
          expect(text(out.plaintext)).toBe(`g${k}`);
          expect(out.state.skippedKeys.length - state.skippedKeys.length).toBe(gap);
        }
      }),
      { numRuns: 100 },
    );
  });
});
