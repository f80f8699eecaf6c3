import { demoStatements } from '../../../src/demo/demo-statements';
import { validateStatementBatch } from '../../../src/xapi/validate';

describe('demo content', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const statements = demoStatements(now);

  it('is a valid xAPI 2.0.0 batch with unique ids', () => {
    expect(statements.length).toBeGreaterThan(30);
    expect(() => validateStatementBatch(statements, '2.0.0')).not.toThrow();
    expect(new Set(statements.map((s) => s['id'])).size).toBe(statements.length);
  });

  it('lies in the 30 days before now, oldest first', () => {
    const times = statements.map((s) => Date.parse(String(s['timestamp'])));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 30 * 86400000);
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
