/** Why a sync round stopped; the popup and options show it in the user's language by `code`. */
export type SyncErrorCode =
  | 'offline' // the server could not be reached
  | 'auth' // 401/403: the token is wrong or revoked; sync pauses until the user signs in again
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
