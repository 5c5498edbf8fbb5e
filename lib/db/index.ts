import { SalDatabase } from './schema';

export * from './schema';
export * from './events-repo';
export * from './kv';
export * from './scopes';

let instance: SalDatabase | null = null;

/** The extension's single database connection (background and extension pages). */
export function getDb(): SalDatabase {
  instance ??= new SalDatabase();
  return instance;
}
