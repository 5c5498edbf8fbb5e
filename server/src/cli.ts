import { parseArgs } from 'node:util';
import { RoleSchema } from '../../lib/protocol/http';
import { createTeam, createToken, createUser, revokeToken, seedDemo } from './admin';
import { migrate, migratesOnStart, openDatabaseFromEnv, prepareSchema } from './db/index';
import { newEpoch } from './events-store';

const USAGE = `usage: npm run server:cli -- <command>
  create-team <name>                                   prints the team id
  create-user --team <id> --name <name> --role <rep|marketer|manager|admin>   prints the user id
  create-token --user <id>                             prints a new token (shown once)
  revoke-token <token>
  seed-demo                                            demo team, users and fixed tokens (idempotent)
  migrate                                              apply pending migrations (safe while servers run)
  new-epoch                                            after restoring a backup: clients start over (see README)
The database is DATABASE_URL, else the embedded one in SAL_DATA_DIR (default ./.data/pglite).
On PostgreSQL the other commands need the schema migrated first (or SAL_MIGRATE_ON_START=1);
the embedded one is migrated by any command.`;

/** Admin CLI over the same functions the tests call (see admin.ts). */
async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { team: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, user: { type: 'string' } },
  });
  const db = await openDatabaseFromEnv();
  try {
    if (command === 'migrate') {
      const applied = await migrate(db);
      process.stdout.write(applied.length > 0 ? `applied migrations ${applied.join(', ')}\n` : 'already up to date\n');
      return 0;
    }
    // production schema changes happen through `migrate` (the same rule as the server's start)
    await prepareSchema(db, { migrateOnStart: migratesOnStart(process.env, db.kind) });
    switch (command) {
      case 'new-epoch': {
        const epoch = await newEpoch(db);
        process.stdout.write(`new epoch ${epoch}: every client pulls from the start and pushes its own events again\n`);
        return 0;
      }
      case 'create-team': {
        const name = positionals.join(' ').trim();
        if (!name) throw new Error('create-team needs a name');
        process.stdout.write(`${await createTeam(db, name)}\n`);
        return 0;
      }
      case 'create-user': {
        if (!values.team || !values.name || !values.role) throw new Error('create-user needs --team, --name and --role');
        const role = RoleSchema.parse(values.role);
        process.stdout.write(`${await createUser(db, { teamId: values.team, name: values.name, role })}\n`);
        return 0;
      }
      case 'create-token': {
        if (!values.user) throw new Error('create-token needs --user');
        process.stdout.write(`${await createToken(db, values.user)}\n`);
        process.stderr.write('Store this token now: only its hash is kept.\n');
        return 0;
      }
      case 'revoke-token': {
        const token = positionals[0];
        if (!token) throw new Error('revoke-token needs the token');
        process.stdout.write((await revokeToken(db, token)) ? 'revoked\n' : 'no such active token\n');
        return 0;
      }
      case 'seed-demo': {
        const { teamId, tokens } = await seedDemo(db);
        process.stdout.write(`team ${teamId} (Demo 株式会社)\n`);
        for (const [who, token] of Object.entries(tokens)) process.stdout.write(`  ${who.padEnd(9)} ${token}\n`);
        return 0;
      }
      default:
        process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
