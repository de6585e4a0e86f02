import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './log/logger';
import { openSqliteStorage } from './storage/sqlite';
import { relayForTest, signUpForTest, tempDirForTest } from './testSupport';
import {
  createIdentity,
  createOneTimePreKeys,
  createSignedPreKey,
  expectFrame,
  openSealed,
  sealFor,
} from './testing/client';

describe('relay privacy', () => {
  it('stores only the opaque body: the database holds the ciphertext verbatim and never the plaintext', async () => {
    const file = join(tempDirForTest(), 'relay.sqlite');
    const storage = openSqliteStorage(file);
    const logLines: string[] = [];
    const logger = createJsonLogger({ level: 'debug', sink: { write: (line: string) => logLines.push(line) } });
    const relay = await relayForTest({ storage, logger });
    try {
      const { url } = relay;
      const alice = await signUpForTest(url, 'alice');
      const bob = await signUpForTest(url, 'bob');
      // The canary only ever crosses the wire sealed to Bob's key.
      const canary = `canary-${randomUUID()}`;
      const body = sealFor(bob.user, canary);
      expectFrame(await alice.client.send(bob.user.userId, body), 'sent');

      const onDisk = Buffer.concat(
        [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path)),
      );
      expect(onDisk.includes(Buffer.from(body))).toBe(true);
      expect(onDisk.includes(Buffer.from(canary))).toBe(false);

      expectFrame(await bob.client.sync(), 'ok');
      const [message] = await bob.client.waitForMessages(1);
      expect(new TextDecoder().decode(openSealed(bob.identity, message?.body ?? new Uint8Array()))).toBe(canary);
      expectFrame(await bob.client.ack([message?.eid ?? 0]), 'ok');

      const logs = logLines.join('');
      expect(logLines.length).toBeGreaterThan(0);
      expect(logs).not.toContain(canary);
      for (const secretish of [body, bob.identity.identityKey, bob.identity.dhKey, alice.client.hello.challenge]) {
        const bytes = Buffer.from(secretish);
        for (const encoding of ['hex', 'base64', 'base64url'] as const) {
          expect(logs).not.toContain(bytes.toString(encoding));
        }
      }
    } finally {
      await relay.close(); // before the storage it uses
      await storage.close();
    }
  });

  it('never has a private key in its database: only the public halves of identities and prekeys', async () => {
    const file = join(tempDirForTest(), 'relay.sqlite');
    const storage = openSqliteStorage(file);
    const relay = await relayForTest({ storage });
    try {
      const { url } = relay;
      const alice = await signUpForTest(url, 'alice');
      const bob = await signUpForTest(url, 'bob');
      const secrets: Uint8Array[] = [];
      const publics: Uint8Array[] = [];
      for (const { client, identity } of [alice, bob]) {
        const signed = createSignedPreKey(identity, 1);
        const oneTime = createOneTimePreKeys(1, 5);
        expectFrame(
          await client.uploadPreKeys({ signedPreKey: signed.wire, oneTimePreKeys: oneTime.map((key) => key.wire) }),
          'prekeyState',
        );
        secrets.push(identity.identitySecretKey, identity.dhSecretKey, signed.secretKey);
        secrets.push(...oneTime.map((key) => key.secretKey));
        // Bob's keys stay published to the end (alice's are dropped by her reset below).
        if (identity === bob.identity) {
          publics.push(identity.identityKey, signed.wire.publicKey, oneTime[4]?.wire.publicKey ?? new Uint8Array());
        }
      }
      // A conversation: bundles fetched both ways, messages both ways, delivered and acknowledged.
      expectFrame(await alice.client.fetchBundle(bob.user.userId), 'bundle');
      expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle');
      expectFrame(await bob.client.sync(), 'ok');
      expectFrame(await alice.client.sync(), 'ok');
      expectFrame(await alice.client.sendToKey(bob.user.userId, bob.user.identityKey, sealFor(bob.user, 'hi')), 'sent');
      expectFrame(
        await bob.client.sendToKey(alice.user.userId, alice.user.identityKey, sealFor(alice.user, 'yo')),
        'sent',
      );
      const [toBob] = await bob.client.waitForMessages(1);
      expectFrame(await bob.client.ack([toBob?.eid ?? 0]), 'ok');
      // And an identity reset, whose new private key must not show up either.
      const next = await createIdentity();
      expectFrame(await alice.client.rekey(alice.identity, next), 'session');
      secrets.push(next.identitySecretKey, next.dhSecretKey);
      publics.push(next.identityKey);

      const onDisk = Buffer.concat(
        [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path)),
      );
      // The scan sees what the relay stored...
      for (const key of publics) expect(onDisk.includes(Buffer.from(key))).toBe(true);
      // ...and no private key, whole or its Ed25519 seed half.
      for (const secret of secrets) {
        expect(onDisk.includes(Buffer.from(secret))).toBe(false);
        expect(onDisk.includes(Buffer.from(secret.subarray(0, 32)))).toBe(false);
      }
    } finally {
      await relay.close();
      await storage.close();
    }
  });
});
