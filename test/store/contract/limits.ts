import { unique, useStore, type OpenStore } from './builders';

/** LimitStore contract: atomic attempt counters (sign-in limits). */
export function limitsContract(open: OpenStore): void {
  describe('attempt limits', () => {
    const store = useStore(open);
    const limiter = (points: number, blockSeconds = 60) =>
      store().limits.limiter({ name: unique('limit').replace(/[^A-Za-z0-9_-]/g, '_'), points, durationSeconds: 60, blockSeconds });

    it('allows exactly the limit of 60 concurrent attempts on one key, and blocks the rest', async () => {
      const l = limiter(5);
      const key = unique('someone@example.org');
      const decisions = await Promise.all(Array.from({ length: 60 }, () => l.consume(key)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      const refused = decisions.filter((d) => !d.allowed);
      expect(refused).toHaveLength(55);
      for (const d of refused) expect(d.retryAfterMs).toBeGreaterThan(0);
      expect((await l.consume(key)).allowed).toBe(false);
    });

    it('keeps keys and limits apart', async () => {
      const l = limiter(1);
      const other = limiter(1);
      const key = unique('k');
      expect((await l.consume(key)).allowed).toBe(true);
      expect((await l.consume(key)).allowed).toBe(false);
      expect((await l.consume(unique('k'))).allowed).toBe(true);
      expect((await other.consume(key)).allowed).toBe(true);
    });

    it('gives an attempt back on reward, never below zero, and forgets a key on reset', async () => {
      const l = limiter(2, 0);
      const key = unique('k');
      await l.reward(unique('never-seen'));
      expect((await l.consume(key)).consumed).toBe(1);
      await l.reward(key);
      await l.reward(key);
      expect((await l.consume(key)).consumed).toBe(1);
      expect((await l.consume(key)).allowed).toBe(true);
      expect((await l.consume(key)).allowed).toBe(false);
      await l.reset(key);
      expect((await l.consume(key)).allowed).toBe(true);
      await l.reset(unique('never-seen'));
    });
  });
}
