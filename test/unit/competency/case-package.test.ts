import { buildCasePackage, DEFAULT_SCALE, packageRecords, parseCasePackage, scaleOf } from '../../../src/competency/case-package';
import { csvToCasePackage, nameUuid } from '../../../src/competency/csv-framework';
import { buildTree, searchItems } from '../../../src/competency/frameworks';
import { casePackage } from '../../fixtures/case-package';

const byId = (list: unknown): unknown[] => [...(list as { identifier: string }[])].sort((a, b) => a.identifier.localeCompare(b.identifier));

describe('CASE package', () => {
  it('parses items into a tree ordered by sequenceNumber and builds the same package back', () => {
    const pkg = casePackage({ categories: 2, perCategory: 3 });
    const parsed = parseCasePackage(pkg);
    const { items, associations } = packageRecords('fw1', parsed);
    expect(items).toHaveLength(8);
    const tree = buildTree(items);
    expect(tree.map((n) => n.item.humanCodingScheme)).toEqual(['C1', 'C2']);
    expect(tree[1]?.children.map((n) => n.item.humanCodingScheme)).toEqual(['C2.1', 'C2.2', 'C2.3']);
    expect(associations.map((a) => a.associationType).sort()).toContain('isRelatedTo');
    const out = buildCasePackage(parsed.document, parsed.extras, items, associations);
    expect(out['CFDocument']).toEqual(pkg['CFDocument']);
    expect(byId(out['CFItems'])).toEqual(byId(pkg['CFItems']));
    expect(byId(out['CFAssociations'])).toEqual(byId(pkg['CFAssociations']));
    expect(out['CFDefinitions']).toEqual(pkg['CFDefinitions']);
    expect(out['CFRubrics']).toEqual(pkg['CFRubrics']);
  });

  it('takes the scale from the rubric in position order, else the default', () => {
    const parsed = parseCasePackage(casePackage());
    expect(scaleOf(parsed.extras).map((l) => [l.rank, l.name])).toEqual([[1, 'Aware'], [2, 'Practising'], [3, 'Leading']]);
    expect(scaleOf({})).toBe(DEFAULT_SCALE);
  });

  it('names every problem of a bad package', () => {
    const pkg = casePackage();
    const items = pkg['CFItems'] as Record<string, unknown>[];
    delete items[0]?.['fullStatement'];
    (items[2] as Record<string, unknown>)['identifier'] = items[1]?.['identifier'];
    expect(() => parseCasePackage(pkg)).toThrow(/CFItems\[0\]\.fullStatement.*CFItems\[2\]\.identifier .* appears twice/);
    expect(() => parseCasePackage({ CFItems: [] })).toThrow(/CFDocument/);
  });

  it('searches statements and codes by every word', () => {
    const { items } = packageRecords('fw', parseCasePackage(casePackage()));
    expect(searchItems(items, 'PRACTICE c1.2').map((i) => i.humanCodingScheme)).toEqual(['C1.2']);
    expect(searchItems(items, '   ')).toEqual([]);
  });
});

describe('CSV framework', () => {
  const meta = { identifier: 'doc-1', title: 'Sheet', base: 'https://l.test/case/uri/', now: '2030-01-01T00:00:00.000Z' };
  const good = 'parent,code,short_statement,full_statement,type,notes\n,PS,Public service,Serves the public,Category,\nPS,PS.1,Reference,Answers questions well,Competency,note\nPS/PS.1,PS.1.a,Chat,Answers by chat,Competency,\n';

  it('builds a package whose tree follows the parent column, with stable identifiers', () => {
    const pkg = csvToCasePackage(good, meta);
    const { items } = packageRecords('fw', parseCasePackage(pkg));
    const tree = buildTree(items);
    expect(tree.map((n) => n.item.humanCodingScheme)).toEqual(['PS']);
    expect(tree[0]?.children[0]?.children[0]?.item.humanCodingScheme).toBe('PS.1.a');
    expect(items[1]?.identifier).toBe(nameUuid('doc-1', 'PS.1'));
    expect(nameUuid('doc-1', 'PS.1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(csvToCasePackage(good, meta)).toEqual(pkg);
  });

  it('reports every bad row with its column', () => {
    const bad = 'parent,code,short_statement,full_statement\n,PS,a,Serves\nXX,PS.1,b,x\n,PS,c,dup\nPS,PS.2,d,\n';
    expect(() => csvToCasePackage(bad, meta)).toThrow(
      'the CSV has 3 problem(s), nothing was imported: row 3, column parent: no row has the code XX; row 4, column code: PS is also on row 2; row 5, column full_statement: is empty',
    );
    expect(() => csvToCasePackage('code,full_statement\nA,b\n', meta)).toThrow(/row 1, column parent: this column is missing/);
    expect(() => csvToCasePackage('parent,code,full_statement\nB,A,x\nA,B,y\n', meta)).toThrow(/row 2, column parent: A would be its own ancestor/);
  });
});
