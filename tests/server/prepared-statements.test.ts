/**
 * Statements with parameters are prepared once per PostgreSQL connection (server/src/db/postgres.ts
 * `createStatementNames`): what the connection holds, and what happens when a newer instance's
 * migration changes the columns a prepared statement returns while this instance runs.
 * PostgreSQL only (`DATABASE_URL`, as `.ci/run` runs the server suite a second time).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/src/db/index';
import type { Database } from '../../server/src/db/types';

const url = process.env.DATABASE_URL?.trim();
const opened: Array<{ db: Database; schema: string }> = [];

/** A pool of one connection in a schema of its own, so every statement runs on the same connection. */
async function onOneConnection(prepare?: boolean): Promise<Database> {
  const schema = `t_prep_${process.pid}_${opened.length}_${Date.now().toString(36)}`;
  const db = await openPostgres(url!, { schema, max: 1, ...(prepare === undefined ? {} : { prepare }) });
  opened.push({ db, schema });
  await db.exec('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)');
  await db.query("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
  return db;
}

const preparedOn = async (db: Database) => (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((r) => r.statement);

afterEach(async () => {
  for (const { db, schema } of opened.splice(0)) {
    await db.exec(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  }
});

describe.runIf(url)('prepared statements on PostgreSQL', () => {
  it('prepares a statement with parameters once per connection, and never one without', async () => {
    const db = await onOneConnection();
    const select = 'SELECT label FROM items WHERE id = $1';
    for (const id of [1, 2, 1]) expect((await db.query<{ label: string }>(select, [id])).rows).toEqual([{ label: id === 1 ? 'one' : 'two' }]);
    // in a transaction too (a pool client): the same connection, the same prepared statement
    await db.transaction(async (tx) => expect((await tx.query<{ label: string }>(select, [2])).rows).toEqual([{ label: 'two' }]));
    expect(await preparedOn(db)).toEqual([select]);
  });

  it('prepares nothing when told not to (SAL_DB_PREPARE=0, behind a pooler in transaction mode)', async () => {
    const db = await onOneConnection(false);
    expect((await db.query<{ label: string }>('SELECT label FROM items WHERE id = $1', [1])).rows).toEqual([{ label: 'one' }]);
    expect(await preparedOn(db)).toEqual([]);
  });

  it('answers a prepared statement whose columns a migration changed, unprepared from then on', async () => {
    const db = await onOneConnection();
    const select = 'SELECT * FROM items WHERE id = $1';
    expect((await db.query(select, [1])).rows).toEqual([{ id: 1, label: 'one' }]);
    // a newer instance's migration, while this one runs
    await db.exec("ALTER TABLE items ADD COLUMN colour text NOT NULL DEFAULT 'red'");
    expect((await db.query(select, [1])).rows).toEqual([{ id: 1, label: 'one', colour: 'red' }]);
    expect((await db.query(select, [2])).rows).toEqual([{ id: 2, label: 'two', colour: 'red' }]);
  });

  it('in a transaction, the statement refused after the migration fails that transaction once; its retry runs unprepared', async () => {
    const db = await onOneConnection();
    const select = 'SELECT * FROM items WHERE id = $1';
    await db.query(select, [1]);
    await db.exec('ALTER TABLE items ADD COLUMN size int');
    await expect(db.transaction((tx) => tx.query(select, [1]))).rejects.toThrow(/cached plan must not change result type/);
    expect(await db.transaction(async (tx) => (await tx.query(select, [1])).rows)).toEqual([{ id: 1, label: 'one', size: null }]);
  });
});
