/**
 * The spreadsheet form of a framework (documented in docs/competency.md): one row per competency
 * with the columns `parent, code, short_statement, full_statement, type, notes`. `parent` is the
 * parent's code, or a path of codes separated by "/" (only its last part counts); empty at the
 * top. The rows become a CASE package (identifiers derived from the framework identifier and the
 * code, so a re-import of the same sheet updates in place), imported like any other.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { badRequest } from '../errors';

export const CSV_COLUMNS = ['parent', 'code', 'short_statement', 'full_statement', 'type', 'notes'] as const;

/** A name-based UUID (RFC 9562 version 5, SHA-1) of `name` within `namespace` (any string). */
export function nameUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(`${namespace}\u0000${name}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** One problem of the sheet: row 1 is the header, so data rows start at 2. */
export interface CsvProblem {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

/** Thrown as a 400 whose message lists every problem (row and column), with nothing imported. */
export function csvProblems(problems: readonly CsvProblem[]): Error {
  const list = problems.slice(0, 30).map((p) => `row ${p.row}, column ${p.column}: ${p.message}`);
  return badRequest(`the CSV has ${problems.length} problem(s), nothing was imported: ${list.join('; ')}`);
}

/**
 * Builds a CASE package from a CSV sheet. `base` is the site's URI base for the new items
 * (e.g. https://learnhq.example/case/uri/). Throws 400 listing every bad row and column.
 */
export function csvToCasePackage(csv: string, meta: { identifier: string; title: string; base: string; now: string }): Record<string, unknown> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw csvProblems([{ row: line ?? 0, column: '-', message: `not readable as CSV (${(err as Error).message.split('\n')[0] ?? ''})` }]);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const problems: CsvProblem[] = [];
  const col = new Map<string, number>();
  for (const c of CSV_COLUMNS) {
    const i = header.indexOf(c);
    if (i < 0 && (c === 'code' || c === 'full_statement' || c === 'parent')) problems.push({ row: 1, column: c, message: 'this column is missing from the header' });
    if (i >= 0) col.set(c, i);
  }
  if (problems.length > 0) throw csvProblems(problems);
  const rows = records.slice(1).map((r, i) => {
    const get = (c: string): string => r[col.get(c) ?? -1] ?? '';
    return { row: i + 2, parent: (get('parent').split('/').pop() ?? '').trim(), code: get('code'), short: get('short_statement'), full: get('full_statement'), type: get('type'), notes: get('notes') };
  });
  if (rows.length === 0) throw csvProblems([{ row: 2, column: 'code', message: 'the sheet has no competency rows' }]);
  const byCode = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.code === '') problems.push({ row: r.row, column: 'code', message: 'is empty' });
    else if (byCode.has(r.code)) problems.push({ row: r.row, column: 'code', message: `${r.code} is also on row ${byCode.get(r.code)?.row}` });
    else byCode.set(r.code, r);
    if (r.full === '') problems.push({ row: r.row, column: 'full_statement', message: 'is empty' });
  }
  for (const r of rows) {
    if (r.parent === '') continue;
    if (!byCode.has(r.parent)) problems.push({ row: r.row, column: 'parent', message: `no row has the code ${r.parent}` });
    // A loop (A under B under A) would make no tree.
    let at: string | undefined = r.parent;
    const seen = new Set([r.code]);
    while (at !== undefined && at !== '' && byCode.has(at)) {
      if (seen.has(at)) {
        problems.push({ row: r.row, column: 'parent', message: `${r.code} would be its own ancestor` });
        break;
      }
      seen.add(at);
      at = byCode.get(at)?.parent;
    }
  }
  if (problems.length > 0) throw csvProblems(problems.sort((a, b) => a.row - b.row));

  const docUri = `${meta.base}${meta.identifier}`;
  const idOf = (code: string): string => nameUuid(meta.identifier, code);
  const siblings = new Map<string, number>();
  const items = rows.map((r) => ({
    identifier: idOf(r.code),
    uri: `${meta.base}${idOf(r.code)}`,
    CFDocumentURI: { title: meta.title, identifier: meta.identifier, uri: docUri },
    fullStatement: r.full,
    ...(r.short ? { abbreviatedStatement: r.short } : {}),
    humanCodingScheme: r.code,
    ...(r.type ? { CFItemType: r.type } : {}),
    ...(r.notes ? { notes: r.notes } : {}),
    lastChangeDateTime: meta.now,
  }));
  const associations = rows.map((r) => {
    const n = (siblings.get(r.parent) ?? 0) + 1;
    siblings.set(r.parent, n);
    const parentId = r.parent === '' ? meta.identifier : idOf(r.parent);
    const parentUri = r.parent === '' ? docUri : `${meta.base}${parentId}`;
    const id = nameUuid(meta.identifier, `isChildOf|${r.code}`);
    return {
      identifier: id,
      uri: `${meta.base}${id}`,
      associationType: 'isChildOf',
      CFDocumentURI: { title: meta.title, identifier: meta.identifier, uri: docUri },
      sequenceNumber: n,
      originNodeURI: { title: r.short || r.full, identifier: idOf(r.code), uri: `${meta.base}${idOf(r.code)}` },
      destinationNodeURI: { title: r.parent === '' ? meta.title : (byCode.get(r.parent)?.short || r.parent), identifier: parentId, uri: parentUri },
      lastChangeDateTime: meta.now,
    };
  });
  return {
    CFDocument: { identifier: meta.identifier, uri: docUri, creator: 'LearnHQ CSV import', title: meta.title, lastChangeDateTime: meta.now, adoptionStatus: 'Draft' },
    CFItems: items,
    CFAssociations: associations,
  };
}
