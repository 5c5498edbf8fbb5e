import type { SalDatabase } from '../db/schema';
import { readKv } from '../db/kv';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../domain/definition';

export const DEFINITION_KV_KEY = 'activeDefinition';

/** The SAL definition in force: the team's from the server when synced, else the built-in default. */
export async function activeDefinition(db: SalDatabase): Promise<SalDefinition> {
  return readKv(db, DEFINITION_KV_KEY, SalDefinitionSchema, DEFAULT_DEFINITION);
}
