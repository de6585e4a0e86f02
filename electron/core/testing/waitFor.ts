/**
 * Waits for a condition instead of sleeping a fixed time: polls `predicate` until it returns
 * a truthy value (which is returned) or the generous timeout passes (then throws with
 * `what`, so a failure says what never happened).
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  what = 'condition',
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
