import type { CrmAdapter } from '../types';
import { findLightningRecordAnchor, readLightningLead } from './lead-reader';
import { lightningListRows } from './list-reader';
import { detectLightningPage, isLightningUrl } from './url';

/** Salesforce Lightning Experience (`*.lightning.force.com`). */
export const salesforceLightning: CrmAdapter = {
  id: 'salesforce',
  ui: 'salesforce-lightning',
  matches: isLightningUrl,
  detectPage: detectLightningPage,
  readLead: readLightningLead,
  findRecordAnchor: findLightningRecordAnchor,
  listRows: lightningListRows,
};

export { detectLightningPage, isLightningUrl, recordFromUrl } from './url';
export { findLightningRecordAnchor, readLightningLead, visibleRecordView } from './lead-reader';
export { lightningListRows } from './list-reader';
