import { z } from 'zod';
import type { AdapterDescription, DescribedUi } from '../crm/description';
import { BUNDLED_DESCRIPTIONS } from '../crm/descriptions';
import { BUILT_IN_PAGES } from '../crm/pages';
import { defineKvItem, readKv, writeKv } from '../db/kv';
import type { SalDatabase } from '../db/schema';
import { AdapterDescriptionSchema } from '../protocol/adapter-description';
import { API } from '../protocol/routes';
import { builtInCrmEnabled } from '../settings/policy';
import { interactivePolicy } from '../settings/policy-definition';
import type { HttpBackendClient } from '../sync/http-client';
import type { Handlers } from './router';

// Adapter fixes as data (issue 16): the content script of a built-in CRM asks for its UI's
// description at each page load (`page.adapter`); the answer is the bundled one, or the team
// server's when that is newer. Server descriptions are validated here (schema only: data, never
// code) when fetched and again when read back from storage.

/**
 * The team server's descriptions as last fetched, each validated (a record written by an older
 * version, or damaged, reads as none). Stored whole: a later fetch replaces the list.
 */
export const adapterDescriptionsKv = defineKvItem('adapterDescriptions', z.array(z.unknown()).max(20), []);

/**
 * The descriptions among `values` that pass the schema (others are dropped, each on its own),
 * at most one per UI (the highest version).
 */
export function validDescriptions(values: readonly unknown[]): AdapterDescription[] {
  const best = new Map<DescribedUi, AdapterDescription>();
  for (const value of values) {
    const parsed = AdapterDescriptionSchema.safeParse(value);
    if (!parsed.success) continue;
    const known = best.get(parsed.data.ui);
    if (!known || parsed.data.version > known.version) best.set(parsed.data.ui, parsed.data);
  }
  return [...best.values()];
}

/**
 * The description a page of `ui` is read with: the server's when its version is above the
 * bundled one's (an extension update that ships a newer description wins over an older fix),
 * else the bundled one.
 */
export function effectiveDescription(ui: DescribedUi, fromServer: readonly AdapterDescription[]): AdapterDescription {
  const bundled = BUNDLED_DESCRIPTIONS[ui];
  const server = fromServer.find((d) => d.ui === ui);
  return server && server.version > bundled.version ? server : bundled;
}

/** The server's descriptions as stored (validated again: storage is data from the past). */
export async function storedDescriptions(db: SalDatabase): Promise<AdapterDescription[]> {
  return validDescriptions(await readKv(db, adapterDescriptionsKv));
}

/**
 * Fetches the team's descriptions (`GET /v1/adapters`) and stores the valid ones. A server
 * without the route (a team's own backend) leaves what is stored; called from each sync round.
 * @throws what the client throws (the caller decides whether the round goes on)
 */
export async function refreshAdapterDescriptions(db: SalDatabase, client: Pick<HttpBackendClient, 'request'>): Promise<AdapterDescription[]> {
  const reply = await client.request(API.getAdapters);
  const valid = validDescriptions(reply.descriptions);
  await writeKv(db, adapterDescriptionsKv, valid);
  return valid;
}

/**
 * The `page.adapter` handler: the description for the asking page's UI, and whether the
 * enterprise policy leaves that CRM on. The worker answers the policy question, not the content
 * script: it knows the policy at once (remembered while Chromium's policy service loads,
 * lib/settings/policy-definition.ts), and a content script that opened `chrome.storage` on every
 * CRM page would pay for that API's setup on the CRM's main thread (issue 14).
 */
export function createAdapterDescriptionHandlers(db: SalDatabase): Pick<Handlers, 'page.adapter'> {
  return {
    async 'page.adapter'(request) {
      const crm = BUILT_IN_PAGES.find((p) => p.ui === request.ui)!.id;
      const [descriptions, { policy }] = await Promise.all([storedDescriptions(db), interactivePolicy(db)]);
      return { description: effectiveDescription(request.ui, descriptions), on: builtInCrmEnabled(crm, policy) };
    },
  };
}
