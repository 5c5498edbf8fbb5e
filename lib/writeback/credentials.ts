import { z } from 'zod';
import { defineKvItem } from '../db/kv';

/**
 * CRM credentials SAL Bridge itself keeps: the HubSpot private-app or OAuth access token an admin
 * or rep enters in the options page. Kept like the backend token, in the extension's IndexedDB
 * (extension origin: no content script or page reaches it), sent only to HubSpot's API, never to
 * the team server. Salesforce and Dynamics need none: they use the rep's own browser session.
 */
export const CrmTokensSchema = z.object({ hubspot: z.string().trim().min(1).max(2000).nullable() });
export type CrmTokens = z.infer<typeof CrmTokensSchema>;
export const crmTokensKv = defineKvItem('crmTokens', CrmTokensSchema, { hubspot: null });
