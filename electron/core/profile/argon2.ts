/**
 * Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13) run in a short-lived worker thread.
 *
 * Why a worker: libsodium's WebAssembly memory can grow but never shrink, so deriving with a
 * 256 MiB memory limit on the core's own sodium instance would keep ~270 MB resident for the
 * life of the process. In a worker that memory is returned when the worker exits, and the
 * event loop (Electron's main process, the host bridge) stays responsive meanwhile.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Argon2Limits {
  /** crypto_pwhash opslimit (passes). */
  opslimit: number;
  /** crypto_pwhash memlimit in bytes. */
  memlimit: number;
}

/**
 * The product's limits: libsodium's MODERATE (3 passes, 256 MiB), about 1 s on a current
 * desktop, once per launch. Stored in each passphrase header, so they can be raised later
 * without breaking existing profiles.
 */
export const DEFAULT_ARGON2_LIMITS: Readonly<Argon2Limits> = { opslimit: 3, memlimit: 256 * 1024 * 1024 };

/** libsodium's own minimums (crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN); for tests only. */
export const MIN_ARGON2_LIMITS: Readonly<Argon2Limits> = { opslimit: 1, memlimit: 8192 };

/** Upper bounds accepted from a header on disk, so a tampered header cannot exhaust memory. */
export const MAX_ARGON2_LIMITS: Readonly<Argon2Limits> = { opslimit: 32, memlimit: 1024 * 1024 * 1024 };

export const ARGON2_SALT_BYTES = 16; // crypto_pwhash_SALTBYTES

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
sodium.ready.then(() => {
  const { passphrase, salt, opslimit, memlimit, keyBytes } = workerData;
  const key = sodium.crypto_pwhash(keyBytes, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  sodium.memzero(passphrase);
  parentPort.postMessage(key, [key.buffer]);
});
`;

/** Derives `keyBytes` bytes from the passphrase's UTF-8 bytes (which this zeroes). */
export async function deriveArgon2idKey(
  passphrase: Uint8Array,
  salt: Uint8Array,
  limits: Argon2Limits,
  keyBytes = 32,
): Promise<Uint8Array> {
  const sodiumPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
  const copy = new Uint8Array(passphrase);
  passphrase.fill(0);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { sodiumPath, passphrase: copy, salt, keyBytes, opslimit: limits.opslimit, memlimit: limits.memlimit },
    transferList: [copy.buffer],
  });
  return new Promise<Uint8Array>((resolve, reject) => {
    let result: Uint8Array | null = null;
    worker.once('message', (key: Uint8Array) => {
      result = key;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the key derivation worker exited with code ${code}`));
    });
  });
}
