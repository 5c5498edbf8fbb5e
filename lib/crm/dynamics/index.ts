import type { CrmAdapter } from '../types';
import { findDynamicsRecordAnchor, readDynamicsLead } from './lead-reader';
import { dynamicsListRows } from './list-reader';
import { detectDynamicsPage, isDynamicsUrl } from './url';

/** Dynamics 365 Sales, model-driven app (Unified Interface) on `<org>.crm<N>.dynamics.com`. */
export const dynamics: CrmAdapter = {
  id: 'dynamics',
  ui: 'dynamics-365',
  matches: isDynamicsUrl,
  detectPage: detectDynamicsPage,
  readLead: readDynamicsLead,
  findRecordAnchor: findDynamicsRecordAnchor,
  listRows: dynamicsListRows,
};

export { detectDynamicsPage, dynamicsLeadIdFromUrl, isDynamicsUrl, normalizeGuid } from './url';
export { findDynamicsRecordAnchor, readDynamicsLead } from './lead-reader';
export { dynamicsListRows } from './list-reader';
