/**
 * A second instance for test/store/mongo-scale-out.test.ts, run as its own process
 * (node -r scripts/register-ts.js). It opens the MongoDB store with a short lease, inserts one
 * statement, and between the seq claim and the insert prints the claim and waits a moment, so
 * the test can stop the whole process (SIGSTOP) with the claim in flight. When it continues it
 * finishes the insert and prints where the statement landed, then waits to be killed.
 *
 * argv: MONGODB_URI dbName statementJson
 */
import { openMongoStore } from '../../../src/store/mongo/mongo-store';
import type { NewStatement } from '../../../src/store/ports';

async function main(): Promise<void> {
  const [url, dbName, json] = process.argv.slice(2);
  if (!url || !dbName || !json) throw new Error('usage: stalled-writer URL DB STATEMENT_JSON');
  const s = JSON.parse(json) as NewStatement;
  let armed = true;
  const store = await openMongoStore({
    url,
    dbName,
    serverSelectionTimeoutMs: 5000,
    seq: { leaseMs: 600 },
    beforeStatementInsert: async (seqs) => {
      if (!armed) return;
      armed = false;
      process.stdout.write(`claimed ${JSON.stringify(seqs)}\n`);
      await new Promise((r) => setTimeout(r, 400));
    },
  });
  try {
    await store.statements.insertStatements([s], []);
    const [row] = await store.statements.findStatementsByIds([s.id]);
    process.stdout.write(`stored ${JSON.stringify({ seq: row?.seq, stored: row?.stored })}\n`);
  } catch (err) {
    process.stdout.write(`failed ${(err as Error).message}\n`);
  }
  await store.close();
  process.stdout.write('closed\n');
}

main().catch((err: unknown) => {
  process.stdout.write(`crashed ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
