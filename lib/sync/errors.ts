/** Why a sync round stopped; the popup and options show it in the user's language by `code`. */
export type SyncErrorCode =
  | 'offline' // the server could not be reached
  | 'auth' // 401/403: the token is wrong; sync pauses until the user signs in again
  | 'signed_out' // 401 signed_out: the session or token was ended (member removed, session revoked); sign in again
  | 'rate_limited' // 429/503 with Retry-After
  | 'server_error' // 5xx or a reply that is not what the protocol says
  | 'not_configured';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/**
 * A protocol error reply (`{ error: { code, message } }`) to a request that is not sync's: an
 * admin action or a sign-in. The page shows `code` in the user's language.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
