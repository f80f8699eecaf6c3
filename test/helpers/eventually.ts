/**
 * Reads `read()` until `done` holds for its value or `timeoutMs` has passed, and returns the last
 * value either way, so the test's own expectation then fails with the value it saw. For waits on
 * work the app does in the background (the pipeline projecting statements): a bound in time, not
 * in rounds, so a loaded CI machine gets the same 20 s as a quiet one.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
