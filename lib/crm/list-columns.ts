import type { RuleInput } from '../domain/handoff-rules';
import type { ListCells } from './types';

/**
 * Which list column holds which lead field. A list row names its cells by what the CRM puts on
 * them: Lightning its column label in the user's language (`data-label="リード状況"`), Dynamics the
 * column's logical name (`col-id="statuscode"`). Read in the service worker, not in the page, so the
 * content script only sends the cells it saw and stays small.
 */
const COLUMN_NAMES: Readonly<Record<'status' | 'leadSource' | 'owner' | 'title', readonly string[]>> = {
  status: ['status', 'lead status', 'リード状況', 'リードステータス', '状況', 'ステータス', 'statuscode', 'hs_lead_status', 'リードのステータス'],
  leadSource: ['lead source', 'leadsource', 'source', 'リードソース', 'ソース', 'leadsourcecode', 'hs_analytics_source'],
  owner: ['owner', 'lead owner', 'owner alias', 'owneralias', 'owner name', '所有者', 'リード所有者', '所有者 別名', '所有者の別名', 'ownerid', 'hubspot_owner_id', '担当者'],
  title: ['title', '役職', 'jobtitle', 'job title'],
};

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
const FIELD_OF = new Map<string, keyof typeof COLUMN_NAMES>(Object.entries(COLUMN_NAMES).flatMap(([field, names]) => names.map((n) => [norm(n), field as keyof typeof COLUMN_NAMES])));

/**
 * A list row's cells as a hand-off rule reads them: text cells under a known column name become
 * that field (the first such cell wins), checkbox cells become `checkboxes` under their column name.
 */
export function ruleInputFromCells(cells: ListCells): RuleInput {
  const input: RuleInput = {};
  const checkboxes: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(cells)) {
    if (typeof value === 'boolean') {
      checkboxes[name] = value;
      continue;
    }
    const field = FIELD_OF.get(norm(name));
    if (field && input[field] === undefined && value.trim() !== '') input[field] = value.trim();
  }
  if (Object.keys(checkboxes).length > 0) input.checkboxes = checkboxes;
  return input;
}
