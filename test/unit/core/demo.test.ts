import { demoStatements, demoUuid, type DemoSitting } from '../../../src/demo/demo-statements';
import { validateStatementBatch } from '../../../src/xapi/validate';

describe('demo content', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const stories: DemoSitting['story'][] = ['passed', 'inProgress', 'retook', 'failed'];
  const sittings: DemoSitting[] = stories.map((story, i) => ({ userId: `u${i}`, name: `Person ${i}`, registration: demoUuid(i + 1), story }));
  const statements = demoStatements(now, 'https://lhq.test', 'https://lhq.test/courses/c1', 'A course', sittings);

  it('is a valid xAPI 2.0.0 batch with unique ids', () => {
    expect(statements.length).toBeGreaterThan(10);
    expect(() => validateStatementBatch(statements, '2.0.0')).not.toThrow();
    expect(new Set(statements.map((s) => s['id'])).size).toBe(statements.length);
  });

  it('is about the people (account agents) in their registrations, and each story ends as told', () => {
    for (const s of statements) {
      const actor = s['actor'] as { account: { homePage: string; name: string } };
      expect(actor.account.homePage).toBe('https://lhq.test');
      const who = sittings.find((p) => p.userId === actor.account.name)!;
      expect((s['context'] as { registration: string }).registration).toBe(who.registration);
    }
    const verbs = (userId: string): string[] => statements
      .filter((s) => (s['actor'] as { account: { name: string } }).account.name === userId)
      .map((s) => String((s['verb'] as { id: string }).id).split('/').pop()!);
    expect(verbs('u0')).toContain('passed');
    expect(verbs('u1')).toEqual(['initialized', 'suspended']);
    expect(verbs('u2').filter((v) => v === 'failed' || v === 'passed')).toEqual(['failed', 'passed']);
    expect(verbs('u3')).not.toContain('passed');
  });

  it('lies in the 30 days before now, oldest first', () => {
    const times = statements.map((s) => Date.parse(String(s['timestamp'])));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 30 * 86400000);
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
