import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PrismError } from '@prism/sdk';
import type { SqlExecutor } from '../../../src/store/sql-client.js';

/** One thing someone other than Prism could read, and where it was. */
interface Exposure {
  where: string;
  bytes: Buffer;
}

/**
 * Everything a flow showed to the world or left at rest: log lines, API answers (bodies and
 * headers), callback pages, metrics, errors thrown to callers, database rows and files. A
 * secret must not appear in any of them, however it is encoded.
 */
export class Exposures {
  readonly #seen: Exposure[] = [];

  /** Text shown at `where`. */
  text(where: string, text: string): void {
    this.#seen.push({ where, bytes: Buffer.from(text, 'utf8') });
  }

  /** Bytes kept at `where` (a column, a file). */
  bytes(where: string, bytes: Uint8Array): void {
    this.#seen.push({ where, bytes: Buffer.from(bytes) });
  }

  /** An error thrown to a caller at `where`: its message, hint, code, stack and causes. */
  error(where: string, error: unknown): void {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
      if (current instanceof Error) {
        this.text(where, `${current.name} ${current.message}\n${current.stack ?? ''}`);
        if (current instanceof PrismError) this.text(where, `${current.code} ${current.hint}`);
        this.text(where, JSON.stringify(current));
        current = current.cause;
      } else {
        this.text(where, String(current));
        current = undefined;
      }
    }
  }

  /**
   * Where any of `secrets` shows, raw, URL-encoded, form-encoded or in base64: one line per
   * finding, naming the place and the secret's first characters.
   */
  leaks(secrets: Iterable<string>): string[] {
    const found: string[] = [];
    for (const secret of secrets) {
      const forms = encodingsOf(secret).map((form) => Buffer.from(form, 'utf8'));
      for (const { where, bytes } of this.#seen) {
        if (forms.some((form) => bytes.includes(form))) {
          found.push(`${where}: ${secret.slice(0, 12)}…`);
        }
      }
    }
    return found;
  }
}

/** The ways a secret may be written out. */
function encodingsOf(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret, 'utf8').toString('base64'),
    ]),
  ];
}

/** Adds every row of every table of the database, each column on its own. */
export async function exposeDatabase(exposures: Exposures, sql: SqlExecutor): Promise<string[]> {
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  for (const { name } of tables) {
    const { rows } = await sql.query<Record<string, unknown>>(`SELECT * FROM "${name}"`);
    rows.forEach((row, index) => {
      for (const [column, value] of Object.entries(row)) {
        const where = `table ${name}, row ${index}, column ${column}`;
        if (value instanceof Uint8Array) exposures.bytes(where, value);
        else exposures.text(where, JSON.stringify(value) ?? 'null');
      }
    });
  }
  return tables.map(({ name }) => name);
}

/** Adds every file under `dir` (the embedded database's files), byte for byte. */
export async function exposeFiles(exposures: Exposures, dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let files = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    exposures.bytes(`file ${path}`, await readFile(path));
    files += 1;
  }
  return files;
}
