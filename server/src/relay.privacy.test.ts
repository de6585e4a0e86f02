import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './log/logger';
import { openSqliteStorage } from './storage/sqlite';
import { relayForTest, signUpForTest, tempDirForTest } from './testSupport';
import { expectFrame, openSealed, sealFor } from './testing/client';

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
});
