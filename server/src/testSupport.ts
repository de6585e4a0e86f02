/**
 * Vitest glue for the relay's own tests: everything started here is closed when the
 * current test finishes. (testing/ stays framework-agnostic for benchmarks and other folders.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { RelayOptions } from './relay';
import { RelayTestClient, signIn, signUp, type ConnectOptions, type SignedUpClient } from './testing/client';
import type { TestIdentity } from './testing/identity';
import { startTestRelay, type TestRelay } from './testing/relayFixture';

export async function relayForTest(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const relay = await startTestRelay(options);
  onTestFinished(() => relay.close());
  return relay;
}

export async function connectForTest(url: string, options?: ConnectOptions): Promise<RelayTestClient> {
  const client = await RelayTestClient.connect(url, options);
  onTestFinished(() => client.close());
  return client;
}

export async function signUpForTest(url: string, username: string): Promise<SignedUpClient> {
  const signedUp = await signUp(url, username);
  onTestFinished(() => signedUp.client.close());
  return signedUp;
}

export async function signInForTest(url: string, identity: TestIdentity, options?: ConnectOptions) {
  const signedIn = await signIn(url, identity, options);
  onTestFinished(() => signedIn.client.close());
  return signedIn;
}

/** A temporary directory removed after the test. */
export function tempDirForTest(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
