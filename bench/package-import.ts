/**
 * bench/package-import: times the zip intake of two generated packages,
 *   - "200 MB SCORM": 200 stored entries of 1 MiB random data + a minimal imsmanifest.xml;
 *   - "cmi5 1,000 AUs": a cmi5.xml with 1,000 AUs and one deflated HTML page per AU,
 * through receiveUpload (a real HTTP POST on 127.0.0.1 streamed from disk), inspectZip,
 * readZipEntryText (the manifest) and extractZip into a temp folder, printing each phase's time and
 * the process's peak RSS. Baselines beside it: copying the same zip file on the same disk (the floor
 * for "receive"), and writing the same files with plain fs.writeFile (the floor for "extract").
 *
 * Run: node -r ./scripts/register-ts.js bench/package-import.ts
 *   or npm run bench:package-import (compiled).
 * Env: BENCH_PACKAGE_MB (default 200), BENCH_AUS (default 1000), BENCH_DIR (default OS temp).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { receiveUpload, removeUpload, type ReceivedUpload } from '../src/packages/upload';
import { createFolderSink, extractZipOrUndo, inspectZip, readZipEntryText } from '../src/packages/zip';
import { createZipFileWriter } from '../test/fixtures/zip-builder';
import { importPackage } from '../src/packages/import';
import { createFolderFileStore } from '../src/store/files/folder';

const PACKAGE_MB = Number(process.env['BENCH_PACKAGE_MB'] ?? 200);
const AUS = Number(process.env['BENCH_AUS'] ?? 1000);
const WORK = fs.mkdtempSync(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'lhq-bench-import-'));
const LIMITS = { maxEntries: 50_000, maxUncompressedBytes: 8 * 1024 ** 3, maxCompressionRatio: 100 };

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 10);

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function buildScormPackage(file: string): void {
  const w = createZipFileWriter(file);
  const files = Array.from({ length: PACKAGE_MB }, (_, i) => `assets/blob-${i}.bin`);
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Bench</title>
    <item identifier="i1" identifierref="r1"><title>Big SCO</title></item></organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/>${files.map((f) => `<file href="${f}"/>`).join('')}</resource></resources>
</manifest>`;
  w.add({ name: 'imsmanifest.xml', data: manifest });
  w.add({ name: 'index.html', data: '<!doctype html><title>SCO</title>' });
  for (const f of files) w.add({ name: f, data: randomBytes(1024 * 1024), method: 'store' });
  w.finish();
}

function buildCmi5Course(file: string): void {
  const w = createZipFileWriter(file);
  const aus = Array.from(
    { length: AUS },
    (_, i) => `    <au id="https://bench.example.org/au/${i}" moveOn="CompletedOrPassed" masteryScore="0.8" launchMethod="AnyWindow">
      <title><langstring lang="en-US">AU ${i}</langstring></title>
      <description><langstring lang="en-US">Assignable unit number ${i}</langstring></description>
      <url>au/${i}/index.html</url>
    </au>`,
  );
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://bench.example.org/course"><title><langstring lang="en-US">Bench course</langstring></title>
    <description><langstring lang="en-US">1,000 AUs</langstring></description></course>
${aus.join('\n')}
</courseStructure>`;
  w.add({ name: 'cmi5.xml', data: xml });
  for (let i = 0; i < AUS; i += 1) {
    w.add({ name: `au/${i}/index.html`, data: `<!doctype html><html><head><title>AU ${i}</title><script src="../../lib/cmi5.js"></script></head><body><h1>AU ${i}</h1>${'<p>Lorem ipsum dolor sit amet. </p>'.repeat(40)}</body></html>` });
  }
  w.add({ name: 'lib/cmi5.js', data: 'export const cmi5 = {};\n'.repeat(2000) });
  w.finish();
}

/** A one-route server: receiveUpload into WORK/tmp, answering the ReceivedUpload as JSON. */
async function uploadServer(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    receiveUpload(req, { maxBytes: 2 * 1024 ** 3, tmpDir: path.join(WORK, 'tmp') }).then(
      (up) => res.end(JSON.stringify(up)),
      (err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

function postFile(url: string, file: string): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/zip', 'content-length': String(fs.statSync(file).size) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString()) as ReceivedUpload) : reject(new Error(Buffer.concat(chunks).toString()))));
    });
    req.on('error', reject);
    fs.createReadStream(file).pipe(req);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

async function run(label: string, file: string, manifestName: string, url: string): Promise<void> {
  const size = fs.statSync(file).size;
  peakRss = process.memoryUsage().rss;
  const startRss = peakRss;
  const [, copyMs] = await timed(() => fsp.copyFile(file, path.join(WORK, 'baseline-copy.zip')));
  await fsp.rm(path.join(WORK, 'baseline-copy.zip'));
  const [upload, receiveMs] = await timed(() => postFile(url, file));
  const [listing, inspectMs] = await timed(() => inspectZip(upload.path, LIMITS));
  const [manifest, manifestMs] = await timed(() => readZipEntryText(upload.path, manifestName, 16 * 1024 * 1024, listing));
  const out = path.join(WORK, `out-${label.replace(/\W+/g, '-')}`);
  const { sink, undo } = createFolderSink(out);
  const [, extractMs] = await timed(() => extractZipOrUndo(upload.path, listing, sink, undo));
  await removeUpload(upload);
  // Baseline for extract: the same files (same folders, same sizes) written straight with writeFile.
  const base = path.join(WORK, 'baseline-files');
  const [, writeMs] = await timed(async () => {
    const made = new Set<string>();
    for (const e of listing.entries) {
      if (e.isDirectory) continue;
      const target = path.join(base, e.path);
      if (!made.has(path.dirname(target))) {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        made.add(path.dirname(target));
      }
      await fsp.writeFile(target, Buffer.alloc(e.size));
    }
  });
  await fsp.rm(base, { recursive: true, force: true });
  const total = receiveMs + inspectMs + manifestMs + extractMs;
  console.log(`\n${label}: ${mb(size)} zip, ${listing.entries.length} entries, ${mb(listing.totalUncompressedBytes)} uncompressed, manifest ${manifest?.length ?? 0} chars`);
  console.log(`  receiveUpload ${receiveMs.toFixed(0)} ms | inspectZip ${inspectMs.toFixed(0)} ms | readZipEntryText ${manifestMs.toFixed(0)} ms | extractZip ${extractMs.toFixed(0)} ms | total ${total.toFixed(0)} ms`);
  console.log(`  peak RSS ${mb(peakRss)} (start ${mb(startRss)}, growth ${mb(peakRss - startRss)})`);
  console.log(`  baseline: copying the zip on the same disk ${copyMs.toFixed(0)} ms; writing the same ${listing.fileCount} files with fs.writeFile ${writeMs.toFixed(0)} ms`);
  await fsp.rm(out, { recursive: true, force: true });

  // The whole import as the service runs it: inspect, parse the manifest into the course model
  // with its validation report, extract into the folder file store.
  const upload2 = await postFile(url, file);
  const files = createFolderFileStore(path.join(WORK, 'file-store'));
  peakRss = process.memoryUsage().rss;
  const startRss2 = peakRss;
  const [imported, importMs] = await timed(() =>
    importPackage({ config: { maxZipEntries: LIMITS.maxEntries, maxUncompressedBytes: LIMITS.maxUncompressedBytes, maxCompressionRatio: LIMITS.maxCompressionRatio }, files }, upload2),
  );
  await removeUpload(upload2);
  console.log(`  full importPackage (inspect + parse + validate + extract to the file store) ${importMs.toFixed(0)} ms, ${imported.fileCount} files, format ${imported.format}, ${imported.report.warnings.length} warnings; upload + import ${(receiveMs + importMs).toFixed(0)} ms; peak RSS growth ${mb(peakRss - startRss2)}`);
  await files.deleteTree(imported.fileSetId);
  await files.close();
}

async function main(): Promise<void> {
  console.log(`bench/package-import on Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}, work dir ${WORK}`);
  const scorm = path.join(WORK, 'scorm-200mb.zip');
  const cmi5 = path.join(WORK, 'cmi5-1000.zip');
  let t = Date.now();
  buildScormPackage(scorm);
  buildCmi5Course(cmi5);
  console.log(`generated both packages in ${Date.now() - t} ms`);
  const server = await uploadServer();
  try {
    await run(`${PACKAGE_MB} MB SCORM package`, scorm, 'imsmanifest.xml', server.url);
    await run(`cmi5 course of ${AUS} AUs`, cmi5, 'cmi5.xml', server.url);
  } finally {
    server.close();
    clearInterval(sampler);
    await fsp.rm(WORK, { recursive: true, force: true });
  }
  console.log(`\nprocess max RSS (getrusage) ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
