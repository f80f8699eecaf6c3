import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { openMongoStore, type MongoStoreOptions } from '../../src/store/mongo/mongo-store';
import type { Store } from '../../src/store/ports';
import { nextStored, statement, statements, unique, verbKey } from './contract/builders';

/**
 * Several instances on one MongoDB database (each store below is one instance: its own client,
 * its own lease): seq blocks, the visibility horizon and Consistent-Through with a writer stalled
 * mid-batch, fencing of an instance stopped with SIGSTOP, since/until across interleaved blocks,
 * and the adoption of a store written before seq blocks existed.
 */
const uri = process.env['MONGODB_URI'];
const ROOT = path.resolve(__dirname, '..', '..');

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last value ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

if (uri === undefined || uri === '') {
  describe.skip('MongoDB scale-out (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const dbNames: string[] = [];
  const open = (dbName: string, extra: Partial<MongoStoreOptions> = {}): Promise<Store> =>
    openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000, ...extra });
  const freshDb = (): string => {
    const name = `learnhq_scale_${randomBytes(5).toString('hex')}`;
    dbNames.push(name);
    return name;
  };

  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      for (const n of dbNames) await client.db(n).dropDatabase();
    } finally {
      await client.close();
    }
  });

  describe('MongoDB scale-out', () => {
    it('hands out distinct seqs to instances writing at once; stored never decreases within one instance', async () => {
      const db = freshDb();
      const [a, b] = await Promise.all([open(db), open(db)]);
      try {
        const verb = `http://example.com/verbs/${unique()}`;
        const batches = Array.from({ length: 20 }, (_, i) => statements(1 + (i % 3), { verb }));
        await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? a : b).statements.insertStatements(batch, [])));
        const all = batches.flat();
        const found = await a.statements.findStatementsByIds(all.map((s) => s.id));
        expect(found).toHaveLength(all.length);
        expect(new Set(found.map((f) => f.seq)).size).toBe(all.length);
        for (const [i, writer] of [a, b].entries()) {
          const mine = new Set(batches.filter((_, j) => j % 2 === i).flat().map((s) => s.id));
          const bySeq = found.filter((f) => mine.has(f.id)).sort((x, y) => x.seq - y.seq);
          for (let j = 1; j < bySeq.length; j++) expect(bySeq[j]!.stored >= bySeq[j - 1]!.stored).toBe(true);
          void writer;
        }
        // Nothing is in flight any more: both horizons come to cover every statement.
        const newest = found.reduce((m, f) => (f.stored > m ? f.stored : m), '');
        const top = Math.max(...found.map((f) => f.seq));
        for (const s of [a, b]) {
          await until('the horizon to cover every seq', () => s.statements.findVisibleSeq(), (h) => h >= top);
          await until('consistent-through to cover every stored time', () => s.statements.findConsistentThrough(), (t) => t >= newest);
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('keeps the horizon and Consistent-Through below a batch another instance has claimed but not yet inserted', async () => {
      const db = freshDb();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let stalledSeqs: readonly number[] = [];
      const a = await open(db, {
        beforeStatementInsert: async (seqs) => {
          stalledSeqs = seqs;
          await gate;
        },
      });
      const b = await open(db);
      try {
        const verb = `http://example.com/verbs/${unique()}`;
        const slow = statement({ verb });
        const pending = a.statements.insertStatements([slow], []);
        await until('the stalled claim', async () => stalledSeqs.length, (n) => n === 1);
        const seq = stalledSeqs[0]!;
        // B stores statements after A's claim, and they are visible to queries at once ...
        const fast = statements(3, { verb });
        await b.statements.insertStatements(fast, []);
        const horizon = await b.statements.findVisibleSeq();
        const through = await b.statements.findConsistentThrough();
        // ... but neither the horizon nor Consistent-Through passes A's statement in flight.
        expect(horizon).toBeLessThan(seq);
        expect((await a.statements.findVisibleSeq())).toBeLessThan(seq);
        const fastRows = await b.statements.findStatementsByIds(fast.map((s) => s.id));
        expect(fastRows).toHaveLength(3);
        release();
        await pending;
        const [row] = await b.statements.findStatementsByIds([slow.id]);
        expect(row?.seq).toBe(seq);
        expect(through < row!.stored).toBe(true);
        // A client that took Consistent-Through as its next `since` receives the slow statement.
        const next = await b.statements.findStatements({ allRefs: [verbKey(verb)], since: through, ascending: true, limit: 10 });
        expect(next.statements.map((s) => s.id)).toContain(slow.id);
        await until('the horizon to pass the finished batch', () => b.statements.findVisibleSeq(), (h) => h >= seq);
      } finally {
        release();
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('fences an instance stopped with its claim in flight: the horizon moves on and its late insert lands above it', async () => {
      const db = freshDb();
      const observer = await open(db);
      const s = statement({ verb: `http://example.com/verbs/${unique()}` });
      const child: ChildProcess = spawn(
        process.execPath,
        ['-r', path.join(ROOT, 'scripts/register-ts.js'), path.join(__dirname, 'scale-out', 'stalled-writer.ts'), uri, db, JSON.stringify(s)],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        const text = c.toString();
        out += text;
        // Stop it the moment its claim is made, before it can insert.
        if (text.includes('claimed ')) child.kill('SIGSTOP');
      });
      child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      try {
        await until('the child to claim', async () => out, (o) => o.includes('claimed ') || o.includes('crashed'), 20000);
        const seq = (JSON.parse(/claimed (\[.*\])/.exec(out)![1]!) as number[])[0]!;
        expect(await observer.statements.findVisibleSeq()).toBeLessThan(seq);
        // Its lease (600 ms) runs out; the observer fences it and the horizon passes its claim.
        const after = await until('the horizon to pass the dead claim', () => observer.statements.findVisibleSeq(), (h) => h >= seq);
        expect(await observer.statements.findStatementsByIds([s.id])).toEqual([]);
        child.kill('SIGCONT');
        await until('the child to finish', async () => out, (o) => o.includes('stored ') || o.includes('failed ') || o.includes('crashed'));
        const landed = JSON.parse(/stored (\{.*\})/.exec(out)?.[1] ?? 'null') as { seq: number } | null;
        // The late insert at the abandoned seq was refused; the batch was claimed again, above
        // the horizon readers had already passed, so no reader of the log misses it.
        expect(landed?.seq).toBeGreaterThan(after);
        const [row] = await observer.statements.findStatementsByIds([s.id]);
        expect(row?.seq).toBe(landed?.seq);
        // The placeholders that took the abandoned seqs are no statements.
        expect(await observer.statements.countStatements()).toBe(1);
        const listed = await observer.statements.findStatements({ allRefs: [], ascending: true, limit: 10 });
        expect(listed.statements.map((x) => x.id)).toEqual([s.id]);
      } finally {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
        await observer.close();
      }
    }, 40000);

    it('answers since/until right when blocks of two instances interleave their stored times', async () => {
      const db = freshDb();
      const slowRelease = { seq: { idleReleaseMs: 60000, blockMaxAgeMs: 60000 } };
      const [a, b] = await Promise.all([open(db, slowRelease), open(db, slowRelease)]);
      try {
        const verb = `http://example.com/verbs/${unique()}`;
        const s1 = statement({ verb });
        await a.statements.insertStatements([s1], []);
        const s2 = statement({ verb });
        await b.statements.insertStatements([s2], []);
        const s3 = statement({ verb });
        await a.statements.insertStatements([s3], []);
        const rows = await a.statements.findStatementsByIds([s1.id, s2.id, s3.id]);
        const seqOf = (id: string): number => rows.find((r) => r.id === id)!.seq;
        // s3 is stored last but sits below s2 in seq order (A's block was claimed first).
        expect(seqOf(s3.id)).toBeLessThan(seqOf(s2.id));
        const q = { allRefs: [verbKey(verb)], ascending: true, limit: 10 };
        const since = await b.statements.findStatements({ ...q, since: s1.stored });
        expect(since.statements.map((s) => s.id).sort()).toEqual([s2.id, s3.id].sort());
        const before = await b.statements.findStatements({ ...q, until: s2.stored });
        expect(before.statements.map((s) => s.id).sort()).toEqual([s1.id, s2.id].sort());
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('adopts a store written before seq blocks existed: new seqs start above the old ones', async () => {
      const db = freshDb();
      const verb = `http://example.com/verbs/${unique()}`;
      const old = statements(5, { verb });
      const client = new MongoClient(uri);
      try {
        await client.connect();
        await client.db(db).collection('statements').insertMany(
          old.map((s, i) => ({ _id: s.id as never, seq: i + 1, stored: s.stored, voided: false, voiding: false, refs: [...s.refs], json: JSON.stringify(s.statement) })),
        );
      } finally {
        await client.close();
      }
      const store = await open(db);
      try {
        const fresh = statement({ verb, stored: nextStored() });
        await store.statements.insertStatements([fresh], []);
        const [row] = await store.statements.findStatementsByIds([fresh.id]);
        expect(row!.seq).toBeGreaterThan(5);
        const page = await store.statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 10 });
        expect(page.statements.map((s) => s.id)).toEqual([...old, fresh].map((s) => s.id));
        const since = await store.statements.findStatements({ allRefs: [verbKey(verb)], since: old[2]!.stored, ascending: true, limit: 10 });
        expect(since.statements.map((s) => s.id)).toEqual([old[3]!, old[4]!, fresh].map((s) => s.id));
        expect(await store.statements.findVisibleSeq()).toBeGreaterThanOrEqual(row!.seq);
      } finally {
        await store.close();
      }
    });
  });
}
