/**
 * Telling a value the database refuses (the event's fault: reject that one) from the database
 * being unreachable (nobody's fault: 503, try again). Both drivers report SQLSTATE in `code`
 * (node-postgres' DatabaseError, PGlite's error); socket errors carry Node's `ECONN…` codes.
 */
function codeOf(error: unknown): string {
  return error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/** SQLSTATE class 22 (data exception: bad text, date out of range, …) or 54 (a value too large). */
export function isDataError(error: unknown): boolean {
  return /^(22|54)[0-9A-Z]{3}$/.test(codeOf(error));
}

/**
 * A prepared statement PostgreSQL refuses for good since a schema change altered the columns it
 * returns (SQLSTATE 0A000, "cached plan must not change result type"; see db/postgres.ts).
 */
export function isStalePreparedStatement(error: unknown): boolean {
  return codeOf(error) === '0A000' && error instanceof Error && error.message.includes('cached plan must not change result type');
}

/** SQLSTATE 23505: a unique or primary key constraint refused a row another transaction committed first. */
export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === '23505';
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES =
  /connection terminated|connection (?:is )?closed|terminating connection|timeout exceeded when trying to connect|pglite is closed|client has encountered a connection error/i;

/** SQLSTATE class 08 (connection exception), a server shutting down or full, or a socket error. */
export function isUnavailableError(error: unknown): boolean {
  const code = codeOf(error);
  if (code.startsWith('08') || UNAVAILABLE_CODES.has(code)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}
