import { NAMED_LEADS, leadDisplayName, type SandboxLead } from './leads';

// A CRM SAL Bridge has no adapter for (a small in-house or kintone-like app), served under its
// own host: server-rendered pages, a record page at /app/leads/<number> and a list at /app/leads.
// The team describes it to SAL Bridge with CUSTOM_CRM_CONFIG (lib/crm/custom).

export const CUSTOM_CRM_HOST = 'leads.example-crm.test';

/** The configuration a team would enter in the options page for this CRM. */
export const CUSTOM_CRM_CONFIG = {
  slug: 'example-crm',
  host: CUSTOM_CRM_HOST,
  recordUrl: '^/app/leads/(?<id>\\d+)$',
  listUrl: '^/app/leads/?$',
  fields: { name: '.lead-name', company: '.f-company', title: '.f-title', email: '.f-email', phone: '.f-phone' },
  anchor: '.record-header',
  list: { row: 'tr.lead-row', idAttribute: 'data-record-id' },
};

/** The record number this CRM gives a sandbox lead. */
export function customCrmId(lead: SandboxLead): string {
  return String(1001 + NAMED_LEADS.findIndex((l) => l.id === lead.id));
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(title)} | 案件管理</title>
<style>body{font-family:"Noto Sans CJK JP",sans-serif;margin:0;background:#f4f6f8}nav{background:#2b3a55;color:#fff;padding:10px 16px}nav a{color:#fff;margin-right:12px}
main{padding:16px}.record-header{background:#fff;padding:12px 16px;border:1px solid #d8dde6;display:flex;justify-content:space-between}.record-header h1{font-size:20px;margin:0}
dl{display:grid;grid-template-columns:120px 1fr;background:#fff;padding:12px 16px;border:1px solid #d8dde6;margin-top:12px}table{background:#fff;border-collapse:collapse}td,th{border:1px solid #d8dde6;padding:6px 10px}</style></head>
<body><nav><a href="/app/leads">リード一覧</a><a href="/app/deals">商談</a></nav><main>${body}</main></body></html>`;
}

/** A lead's record page, or null for an unknown number. */
export function customCrmRecordPage(path: string): string | null {
  const id = /^\/app\/leads\/(\d+)$/.exec(path)?.[1];
  const lead = NAMED_LEADS.find((l) => customCrmId(l) === id);
  if (!lead) return null;
  return page(
    leadDisplayName(lead),
    `<div class="record-header"><h1 class="lead-name">${esc(leadDisplayName(lead))}</h1><span><button type="button">編集</button> <button type="button">削除</button></span></div>
<dl><dt>会社名</dt><dd class="f-company">${esc(lead.company)}</dd><dt>役職</dt><dd class="f-title">${esc(lead.title)}</dd>
<dt>メール</dt><dd class="f-email">${esc(lead.email ?? '')}</dd><dt>電話</dt><dd class="f-phone">${esc(lead.phone)}</dd></dl>`,
  );
}

/** The lead list: one row per lead, its record number in `data-record-id`. */
export function customCrmListPage(): string {
  const rows = NAMED_LEADS.map(
    (l) => `<tr class="lead-row" data-record-id="${customCrmId(l)}"><td class="name"><a href="/app/leads/${customCrmId(l)}">${esc(leadDisplayName(l))}</a></td><td>${esc(l.company)}</td></tr>`,
  ).join('\n');
  return page('リード一覧', `<h1>リード一覧</h1><table><tr><th>名前</th><th>会社名</th></tr>${rows}</table>`);
}
