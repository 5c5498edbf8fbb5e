import type { StrategyRead } from '../strategies';
import { DYNAMICS } from '../descriptions/dynamics';
import { describedAdapter } from '../interpret';
import { BUILT_IN_PAGES } from '../pages';

/** Dynamics 365 Sales, model-driven app (Unified Interface) on `<org>.crm<N>.dynamics.com`, read as its bundled description says. */
export const dynamics = describedAdapter(BUILT_IN_PAGES[3]!, DYNAMICS);

/** The lead a Dynamics lead form shows; `via`: which strategy read each field. */
export const readDynamicsLead = (doc: Document, recordId: string): StrategyRead => dynamics.readLead(doc, recordId);

export { detectDynamicsPage, dynamicsLeadIdFromUrl, isDynamicsUrl, normalizeGuid } from './url';
