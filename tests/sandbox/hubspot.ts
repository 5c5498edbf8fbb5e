import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAMED_LEADS, fillerLeads, leadDisplayName, type SandboxLead } from './leads';

// Sandbox HubSpot (`app.hubspot.com`): a plain-JS single-page app (hubspot-app.js) reproducing
// what SAL Bridge depends on in HubSpot's CRM: the three-column record page with
// `data-test-id` / `data-selenium-test` hooks, properties that render after a skeleton, pushState
// navigation, an index table whose rows render as the user scrolls, and a preview side panel
// showing another record's properties. The same people as the Salesforce sandbox, as contacts.
// Markup variants seen on real pages (the name's hook, renamed classes) are chosen by query
// parameters (see hubspot-app.js); the default page stays the same.

export const HUBSPOT_HOST = 'app.hubspot.com';
export const HUBSPOT_PORTAL_ID = '44556677';

/** Contact id (object 0-1) of a sandbox lead: HubSpot ids are plain numbers. */
export function hubSpotContactId(lead: SandboxLead): string {
  const i = NAMED_LEADS.findIndex((l) => l.id === lead.id);
  return String(75_120_001 + (i >= 0 ? i : NAMED_LEADS.length + fillerLeads(40).findIndex((l) => l.id === lead.id)));
}

/** Leads-object record id (0-136) of a sandbox lead (the first five have one). */
export function hubSpotLeadObjectId(lead: SandboxLead): string {
  return String(31_000_101 + NAMED_LEADS.findIndex((l) => l.id === lead.id));
}

export const hubSpotContactPath = (lead: SandboxLead) => `/contacts/${HUBSPOT_PORTAL_ID}/record/0-1/${hubSpotContactId(lead)}`;
export const hubSpotIndexPath = (objectTypeId = '0-1') => `/contacts/${HUBSPOT_PORTAL_ID}/objects/${objectTypeId}/views/all/list`;

const STATUS: Record<string, string> = { 'Open - Not Contacted': '新規', 'Working - Contacted': '接続済み' };

// a path, not a URL object: under jsdom (unit tests render these pages) `URL` is jsdom's own
export const HUBSPOT_APP_JS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'hubspot-app.js'), 'utf8');

/** The page shell for every app.hubspot.com path; the app renders the route. */
export function hubSpotShell(fieldDelayMs: number | undefined, statusLabel: (key: string) => string | undefined = () => undefined): string {
  const person = (l: SandboxLead, i: number) => ({
    id: hubSpotContactId(l),
    leadObjectId: i < 5 ? hubSpotLeadObjectId(l) : null,
    name: leadDisplayName(l),
    firstname: l.firstName,
    lastname: l.lastName,
    company: l.company,
    jobtitle: l.title,
    email: l.email ?? '',
    phone: l.phone,
    lead_source: l.leadSource,
    // as the write API left the contact (`contacts/<id>`, tests/sandbox/crm-api.ts), else the seed
    hs_lead_status: statusLabel(`contacts/${hubSpotContactId(l)}`) ?? STATUS[l.status] ?? l.status,
    owner: l.owner,
    score: l.score,
  });
  const contacts = [...NAMED_LEADS, ...fillerLeads(40)].map(person);
  const data = JSON.stringify({ portalId: HUBSPOT_PORTAL_ID, contacts, fieldDelayMs: fieldDelayMs ?? null })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>HubSpot</title><link rel="icon" href="/favicon.ico">
<style>${STYLES}</style></head>
<body class="hubspot">
<nav id="hs-nav-v4" data-test-id="navbar"><span class="logo">HubSpot</span><a href="${hubSpotIndexPath()}">コンタクト</a><a href="${hubSpotIndexPath('0-136')}">リード</a><input type="search" placeholder="HubSpotを検索" aria-label="検索"></nav>
<main id="hs-main" role="main"></main>
<script type="application/json" id="sandbox-data">${data}</script>
<script src="/__sandbox/hubspot/app.js"></script>
</body></html>`;
}

const STYLES = `
*{box-sizing:border-box}body{margin:0;font-family:"Lexend Deca",Helvetica,Arial,"Noto Sans CJK JP",sans-serif;font-size:14px;color:#33475b;background:#f5f8fa}
#hs-nav-v4{display:flex;gap:20px;align-items:center;height:56px;padding:0 20px;background:#2d3e50;color:#fff}#hs-nav-v4 a{color:#fff;text-decoration:none}#hs-nav-v4 .logo{font-weight:700;color:#ff7a59}#hs-nav-v4 input{margin-left:auto;width:280px;padding:6px 10px;border-radius:3px;border:0}
a{color:#0091ae;text-decoration:none}
.record{display:flex;align-items:flex-start;min-height:calc(100vh - 56px)}
[data-test-id="left-sidebar"]{width:340px;flex:none;background:#fff;border-right:1px solid #cbd6e2;padding:16px;min-height:calc(100vh - 56px)}
[data-test-id="middle-pane"]{flex:1;min-width:0;padding:0 16px}
[data-test-id="records-right-sidebar"]{width:300px;flex:none;background:#fff;border-left:1px solid #cbd6e2;padding:16px;min-height:calc(100vh - 56px)}
.avatar{width:64px;height:64px;border-radius:50%;background:#00bda5;color:#fff;display:flex;align-items:center;justify-content:center;font-size:22px}
[data-selenium-test="highlightTitle"],[data-test-id="highlight-record-label"]{font-size:20px;margin:8px 0 2px}.subtitle{color:#516f90}
.actions{display:flex;gap:8px;margin:12px 0;flex-wrap:wrap}.actions button,.btn{font:inherit;font-size:12px;border:1px solid #cbd6e2;background:#eaf0f6;border-radius:3px;padding:4px 8px;cursor:pointer}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:4px;padding:12px 16px;margin:12px 0}.card h3{font-size:14px;margin:0 0 8px}
.prop{margin:8px 0}.prop label{display:block;font-size:12px;color:#516f90}.prop input,.prop [role=button]{display:block;width:100%;font:inherit;border:1px solid transparent;padding:2px 4px;background:transparent;color:#33475b}
.skeleton{height:14px;background:#eaf0f6;border-radius:3px;margin:10px 0}
[role=tablist]{display:flex;gap:24px;border-bottom:1px solid #cbd6e2;padding-top:12px;background:#f5f8fa}[role=tab]{font:inherit;background:none;border:0;padding:8px 0;cursor:pointer;color:#33475b}[role=tab][aria-selected=true]{border-bottom:3px solid #33475b;font-weight:600}
.index{padding:16px 24px}.index h1{font-size:22px;margin:4px 0 12px}.table-wrap{height:calc(100vh - 190px);overflow:auto;background:#fff;border:1px solid #cbd6e2}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #eaf0f6;white-space:nowrap}th{background:#f5f8fa;font-size:12px;position:sticky;top:0}
[data-crm-location="CRM_OBJECT_PREVIEW"]{position:fixed;right:0;top:56px;bottom:0;width:360px;background:#fff;border-left:1px solid #cbd6e2;padding:16px;box-shadow:-2px 0 8px rgba(0,0,0,.1)}
`;
