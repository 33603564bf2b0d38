/**
 * Reviews completed per second by the Prism server with the rules provider, on the embedded
 * store and on PostgreSQL, as `prism serve` starts it (reviews queued in the database, run by
 * its `PRISM_WORKERS` workers). Each server runs in a child process; this one is the client.
 *
 * The sample document is uploaded once; a round then creates N reviews of it at once through
 * the HTTP API and follows each by its event stream until it has succeeded. Reviews/s is N over
 * the time from the first create to the last end. After the first review each is a hit of the
 * server's review cache (the rules do not run again; the job, its store writes and its events
 * do); with `--distinct`, each review is of its own copy of the sample (uploaded before the
 * round, under a title of its own), so every review runs the rules on every section.
 *
 * Rounds alternate which store goes first. Each round is reported on its own, with how many
 * reviews the tenant already had: a review's cost grows with them, so rounds are not repeats.
 *
 *   pnpm bench bench/server-reviews.ts [--reviews 50] [--rounds 3] [--workers N] [--distinct]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpPrism } from '@prism/sdk';
import { machineLoad } from './load.js';
import { createBenchDatabase, type ServerProcess, startServerProcesses } from './server-process.js';

const numberArgument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const REVIEWS = numberArgument('--reviews', 50);
const ROUNDS = numberArgument('--rounds', 3);
const WORKERS = process.argv.includes('--workers') ? numberArgument('--workers', 2) : undefined;
const DISTINCT = process.argv.includes('--distinct');
const WARM_UP_REVIEWS = 4;
const RATE_LIMIT_PER_MINUTE = 1_000_000;
const FILENAME = 'phishing-account-takeover.md';
const bytes = await readFile(new URL(`../examples/documents/${FILENAME}`, import.meta.url));

/** A Prism server, a client of it (failures are not retried, so none is hidden), its counts. */
interface Served {
  name: string;
  server: ServerProcess;
  client: HttpPrism;
  /** The sample document uploaded once. */
  documentId: string;
  /** Reviews the tenant has so far. */
  reviews: number;
  /** Reviews/s of each round. */
  rates: number[];
}

let uploads = 0;
/** Uploads the sample under a title of its own, so its reviews share no cache entry. */
async function upload(client: HttpPrism): Promise<string> {
  uploads++;
  const document = await client.documents.create({
    file: bytes,
    filename: FILENAME,
    title: `Phishing account takeover ${uploads}`,
  });
  return document.id;
}

/** Seconds to create a review of each document at once and see every one succeed. */
async function reviewAll(served: Served, documentIds: string[]): Promise<number> {
  const started = performance.now();
  const reviews = await Promise.all(
    documentIds.map(async (documentId) =>
      (await served.client.reviews.create({ documentId })).done(),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  served.reviews += reviews.length;
  const failed = reviews.filter((review) => review.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`${failed.length} reviews did not succeed.`);
  return seconds;
}

const rate = (value: number | undefined) => (value ?? Number.NaN).toFixed(1).padStart(5);

const dataDir = await mkdtemp(join(tmpdir(), 'prism-bench-'));
const database = await createBenchDatabase();
const served: Served[] = [];
try {
  const spec = {
    kind: 'prism',
    rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
    logLevel: 'silent',
    ...(WORKERS === undefined ? {} : { workers: WORKERS }),
  } as const;
  const servers = await startServerProcesses([
    { ...spec, dataDir },
    { ...spec, databaseUrl: database.url },
  ]);
  for (const [index, server] of servers.entries()) {
    const client = new HttpPrism({ baseUrl: server.url, apiKey: server.apiKey, maxRetries: 0 });
    const name = index === 0 ? 'embedded' : 'postgresql';
    served.push({ name, server, client, documentId: '', reviews: 0, rates: [] });
  }
  for (const each of served) each.documentId = await upload(each.client);
  for (const each of served) await reviewAll(each, Array(WARM_UP_REVIEWS).fill(each.documentId));

  console.log(
    `server reviews: rules provider, ${REVIEWS} reviews of ${DISTINCT ? 'distinct copies of' : 'one'} ` +
      `${FILENAME} created at once over HTTP and followed by their event streams; ` +
      `workers ${WORKERS ?? 'PRISM_WORKERS default'}; node ${process.version}; ${machineLoad()}`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    const before = served[0]?.reviews ?? 0;
    for (const each of round % 2 === 0 ? served : [...served].reverse()) {
      const documentIds = DISTINCT
        ? await Promise.all(Array.from({ length: REVIEWS }, () => upload(each.client)))
        : Array<string>(REVIEWS).fill(each.documentId);
      each.rates.push(REVIEWS / (await reviewAll(each, documentIds)));
    }
    const [embedded, postgres] = served.map((each) => each.rates[round]);
    console.log(
      `  round ${round + 1} (tenant had ${String(before).padStart(3)} reviews): ` +
        `embedded ${rate(embedded)} reviews/s, postgresql ${rate(postgres)} reviews/s, ` +
        `postgresql / embedded ${((postgres ?? 0) / (embedded ?? 1)).toFixed(2)}`,
    );
  }
  console.log(`done, ${machineLoad()}`);
} finally {
  for (const { client, server } of served) {
    await client.close();
    await server.close();
  }
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
}
