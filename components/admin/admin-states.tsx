import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { MessageKey, Translate } from '../../lib/i18n';
import { ApiError, SyncError } from '../../lib/sync/errors';

// The admin page's shared states, used by every section (components/admin/AdminView.tsx and the sections beside it).

/** An error from the server in the admin's words. */
export function adminErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) return error.code === 'forbidden' ? t('admin.forbidden') : error.message;
  if (error instanceof SyncError) return t(`error.${error.code}` as MessageKey);
  return error instanceof Error ? error.message : String(error);
}

/** Loading, error (with retry) and empty states around a list, the same in every section. */
export function Loaded<T>({ query, items: shown, t, empty, children }: { query: UseQueryResult<unknown>; items: T[] | undefined; t: Translate; empty: string; children: (items: T[]) => ReactNode }) {
  if (query.isPending)
    return (
      <p className="sal-muted" role="status">
        {t('admin.loading')}
      </p>
    );
  if (query.isError)
    return (
      <div role="alert" className="sal-error">
        <p>{t('admin.error', { error: adminErrorText(query.error, t) })}</p>
        <button type="button" className="sal-btn" onClick={() => void query.refetch()}>
          {t('admin.retry')}
        </button>
      </div>
    );
  const items = shown ?? [];
  if (items.length === 0) return <p className="sal-muted">{empty}</p>;
  return <>{children(items)}</>;
}
