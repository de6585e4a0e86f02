/**
 * Self-destructing envelopes through a running relay: `send.purgeAt` is stored, an envelope
 * past it is never pushed, and the periodic sweep deletes it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { relayForTest, signInForTest, signUpForTest } from './testSupport';
import { expectFrame, sealFor, signUp } from './testing/client';

describe('relay purge deadlines', () => {
  it('never delivers an envelope past its purge deadline, and sweeps it away', async () => {
    let now = 1_000_000;
    const { url, storage } = await relayForTest({ now: () => now });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUp(url, 'bob');
    await bob.client.close();

    const timed = expectFrame(
      await alice.client.request({
        t: 'send',
        msgId: randomUUID(),
        to: bob.user.userId,
        body: sealFor(bob.user, 'gone soon'),
        purgeAt: now + 5_000,
      }),
      'sent',
    );
    const kept = expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, 'stays')), 'sent');

    now += 5_000; // the deadline passes while bob is away
    const back = await signInForTest(url, bob.identity);
    expectFrame(await back.client.sync(), 'ok');
    const [message] = await back.client.waitForMessages(1);
    expect(message?.msgId).toBe(kept.msgId);
    expect(back.client.messages.map((m) => m.msgId)).not.toContain(timed.msgId);

    expect(await storage.purgeExpiredEnvelopes(now)).toBe(1);
  });
});
