import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { csvLine } from '../../src/reports/routes';

/** The export's own CSV writer writes what csv-stringify writes with its defaults, and csv-parse reads it back. */
describe('csvLine', () => {
  const records: string[][] = [
    ['plain', '', 'with space ', ' lead'],
    ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf'],
    ['"', ',', '""', 'Sam Staff answered “yes” (correct) — 92 %, 12 min'],
    ['{"objectType":"Agent","mbox":"mailto:a@b.c"}', 'http://x/y?z=1,2', 'tab\there', '=1+2'],
  ];

  it('matches csv-stringify record by record', () => {
    for (const r of records) expect(csvLine(r)).toBe(stringify([r]));
    expect(records.map(csvLine).join('')).toBe(stringify(records));
  });

  it('reads back as the same fields', () => {
    expect(parse(records.map(csvLine).join(''))).toEqual(records);
  });
});
