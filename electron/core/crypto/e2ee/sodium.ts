/**
 * libsodium (sumo build) for the end-to-end encryption module. The WebAssembly loads
 * asynchronously: `e2eeReady()` must have resolved before any function in e2ee/ is called
 * (every function here is synchronous so that a caller can run it inside a database
 * transaction without yielding).
 */
import sodium from 'libsodium-wrappers-sumo';

export async function e2eeReady(): Promise<void> {
  await sodium.ready;
}

export { sodium };
