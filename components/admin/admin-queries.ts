import { queryOptions } from '@tanstack/react-query';
import type { AdminClient } from '../../lib/sync/admin-client';
import type { AlertDeliveryStatus } from '../../lib/protocol/alerts';

// The admin page's server reads, key and fetcher together (one factory per list). Mutations
// invalidate ['admin'], so every list and the audit log show the change at once.

export const membersQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'members'], queryFn: () => api.members() });
export const invitesQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'invites'], queryFn: async () => (await api.invites()).invites });
export const tokensQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'tokens'], queryFn: async () => (await api.tokens()).tokens });
export const auditQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'audit'], queryFn: async () => (await api.audit(200)).entries });
export const alertSettingsQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'alerts', 'settings'], queryFn: () => api.alertSettings() });
export const alertDeliveriesQuery = (api: AdminClient, status?: AlertDeliveryStatus) =>
  queryOptions({ queryKey: ['admin', 'alerts', 'deliveries', status ?? 'all'], queryFn: async () => (await api.alertDeliveries({ ...(status ? { status } : {}), limit: 100 })).deliveries });
export const adaptersQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'adapters'], queryFn: async () => (await api.adapters()).descriptions });
export const readHealthQuery = (api: AdminClient) => queryOptions({ queryKey: ['admin', 'read-health'], queryFn: async () => (await api.readHealth()).crms });
