import fs from 'node:fs';

/**
 * Delays every fs.open (and so every file stream's open) by `ms` until restored: a test can then
 * fail a write before its file exists, as a loaded machine sometimes does.
 */
export function slowFileOpens(ms: number): jest.SpyInstance {
  const realOpen = fs.open;
  return jest.spyOn(fs, 'open').mockImplementation(((...args: unknown[]) => {
    setTimeout(() => (realOpen as (...a: unknown[]) => void)(...args), ms);
  }) as typeof fs.open);
}
