import { queryOptions } from '@tanstack/react-query';
import type { AdminClient } from '../../lib/sync/admin-client';

// The admin page's server reads, key and fetcher together (one factory per list). Mutations
// invalidate ['admin'], so every list and the audit log show the change at once.

export const membersQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'members'], queryFn: () => api.members() });
export const invitesQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'invites'], queryFn: async () => (await api.invites()).invites });
export const tokensQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'tokens'], queryFn: async () => (await api.tokens()).tokens });
export const auditQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'audit'], queryFn: async () => (await api.audit(200)).entries });
export const readHealthQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'read-health'], queryFn: async () => (await api.readHealth()).crms });
