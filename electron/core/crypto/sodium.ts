/**
 * libsodium (sumo build). Its WebAssembly loads asynchronously: `sodiumReady()` must have
 * resolved before any function in crypto/ is called. createCore awaits it first thing.
 */
import sodium from 'libsodium-wrappers-sumo';

export async function sodiumReady(): Promise<void> {
  await sodium.ready;
}

export { sodium };
