/** Builders for unit tests of the store and services (never used by production code). */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PublicUser } from '../../../shared/protocol';
import type { Account } from '../db/account';
import type { Contact } from '../db/contacts';
import { openDatabase } from '../db/database';
import { Store } from '../db/store';
import { generateDeviceKeys, type DeviceKeys } from '../crypto/keys';

let counter = 0;

/** A syntactically valid relay user id (`u_` + 22 base64url chars). */
export function fakeUserId(): string {
  counter++;
  return `u_${String(counter).padStart(22, 'A')}`;
}

export function openTestStore(dir: string): Store {
  return new Store(openDatabase(path.join(dir, 'test.db')));
}

export function makeAccount(username = 'me', keys: DeviceKeys = generateDeviceKeys()): Account {
  return { userId: fakeUserId(), username, displayName: username, keys, createdAt: Date.now() };
}

export function publicUserOf(account: Account): PublicUser {
  return {
    userId: account.userId,
    username: account.username,
    displayName: account.displayName,
    identityKey: account.keys.identityPublicKey as PublicUser['identityKey'],
    dhKey: account.keys.dhPublicKey as PublicUser['dhKey'],
    dhKeySig: account.keys.dhKeySig as PublicUser['dhKeySig'],
  };
}

export function contactOf(account: Account): Contact {
  return {
    userId: account.userId,
    username: account.username,
    displayName: account.displayName,
    identityKey: account.keys.identityPublicKey,
    dhKey: account.keys.dhPublicKey,
    dhKeySig: account.keys.dhKeySig,
    updatedAt: Date.now(),
  };
}

export const newMessageId = (): string => randomUUID();
