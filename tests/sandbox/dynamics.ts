import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAMED_LEADS, fillerLeads, leadDisplayName, type SandboxLead } from './leads';

// Sandbox Dynamics 365 Sales (`acme.crm7.dynamics.com/main.aspx`): a plain-JS model-driven app
// (dynamics-app.js) reproducing what SAL Bridge depends on: pages chosen by the query string
// (`pagetype`, `etn`, `id`, `viewid`) with SPA navigation that rewrites it, the Unified Interface
// form (`data-id="header_title"`, header fields, `<name>-FieldSectionItemContainer` items,
// `.fieldControl-…` controls whose values live in inputs), a tab that stays hidden, and a
// Power Apps grid (AG Grid) whose pinned and scrolling columns are separate row containers.
// The header's field layouts seen on real forms (uci items behind open shadow roots, unnamed
// items, the pop-out only) are chosen by `?sandboxHeader=` (see dynamics-app.js); the default
// page stays the same.

export const DYNAMICS_HOST = 'acme.crm7.dynamics.com';
export const DYNAMICS_APP_ID = 'a1b2c3d4-0000-4000-8000-5a1e5a1e5a1e';
export const DYNAMICS_LEAD_VIEW_ID = '00000000-0000-0000-00aa-000010001004';

const ALL = (): SandboxLead[] => [...NAMED_LEADS, ...fillerLeads(60)];

/** The lead's GUID in the sandbox org (upper case with braces, as Dynamics writes it in some URLs). */
export function dynamicsLeadGuid(lead: SandboxLead): string {
  const i = ALL().findIndex((l) => l.id === lead.id);
  return `{3F2A1B7C-9D4E-4F11-A5B6-${(0xc0de00000000 + i).toString(16).toUpperCase()}}`;
}

export const dynamicsRecordPath = (lead: SandboxLead) => `/main.aspx?appid=${DYNAMICS_APP_ID}&pagetype=entityrecord&etn=lead&id=${dynamicsLeadGuid(lead).replace(/[{}]/g, '').toLowerCase()}`;
export const dynamicsListPath = () => `/main.aspx?appid=${DYNAMICS_APP_ID}&pagetype=entitylist&etn=lead&viewid=${DYNAMICS_LEAD_VIEW_ID}&viewType=1039`;

const STATUS: Record<string, string> = { 'Open - Not Contacted': '新規', 'Working - Contacted': '連絡済み' };
const SOURCE: Record<string, string> = { Web: 'Web', セミナー: 'セミナー', 展示会: '展示会', ホワイトペーパー: 'その他', パートナー紹介: 'パートナー', ウェビナー: 'セミナー' };

// a path, not a URL object: under jsdom (unit tests render these pages) `URL` is jsdom's own
export const DYNAMICS_APP_JS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'dynamics-app.js'), 'utf8');

/** The page shell for `/main.aspx`; the app renders the page the query string names. */
export function dynamicsShell(fieldDelayMs: number | undefined, statusLabel: (guid: string) => string | undefined = () => undefined): string {
  const leads = ALL().map((l) => ({
    id: dynamicsLeadGuid(l).replace(/[{}]/g, '').toLowerCase(),
    fullname: leadDisplayName(l),
    firstname: l.firstName,
    lastname: l.lastName,
    subject: `${l.company} 様 お問い合わせ`,
    companyname: l.company,
    jobtitle: l.title,
    emailaddress1: l.email ?? '',
    telephone1: l.phone,
    leadsourcecode: SOURCE[l.leadSource] ?? 'その他',
    // as the Web API left the lead (tests/sandbox/crm-api.ts), else the seed
    statuscode: statusLabel(dynamicsLeadGuid(l).replace(/[{}]/g, '').toLowerCase()) ?? STATUS[l.status] ?? l.status,
    owner: l.owner,
  }));
  const data = JSON.stringify({ appId: DYNAMICS_APP_ID, viewId: DYNAMICS_LEAD_VIEW_ID, leads, fieldDelayMs: fieldDelayMs ?? null })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return `<!doctype html>
<html lang="ja" dir="ltr">
<head><meta charset="utf-8"><title>Dynamics 365</title><link rel="icon" href="/favicon.ico"><style>${STYLES}</style></head>
<body>
<div id="shell-container"><header data-id="topBar" role="banner"><span class="waffle">⋮⋮⋮</span><span class="app-title">Dynamics 365</span><span class="app-name">営業ハブ</span><input type="search" placeholder="検索" aria-label="検索"></header>
<div class="body"><nav data-id="navbar-container" aria-label="サイト マップ"><ul>
<li><a href="/main.aspx?appid=${DYNAMICS_APP_ID}&pagetype=dashboard">ダッシュボード</a></li>
<li><a data-id="sitemap-entity-lead" href="${dynamicsListPath()}">リード</a></li>
<li><a href="/main.aspx?appid=${DYNAMICS_APP_ID}&pagetype=entitylist&etn=opportunity">営業案件</a></li></ul></nav>
<div id="mainContent" role="main"></div></div></div>
<script type="application/json" id="sandbox-data">${data}</script>
<script src="/__sandbox/dynamics/app.js"></script>
</body></html>`;
}

const STYLES = `
*{box-sizing:border-box}body{margin:0;font-family:"Segoe UI","Noto Sans CJK JP",sans-serif;font-size:14px;color:#242424;background:#f3f2f1}
[data-id=topBar]{display:flex;gap:16px;align-items:center;height:48px;padding:0 16px;background:#002050;color:#fff}[data-id=topBar] input{margin-left:auto;width:260px;padding:4px 8px;border:0;border-radius:2px}.app-title{font-weight:600}
.body{display:flex}nav[data-id=navbar-container]{width:200px;flex:none;background:#fff;min-height:calc(100vh - 48px);border-right:1px solid #e1dfdd}nav ul{list-style:none;margin:0;padding:8px 0}nav li a{display:block;padding:8px 16px;color:#242424;text-decoration:none}
#mainContent{flex:1;min-width:0}
[data-id=CommandBar]{display:flex;gap:4px;padding:4px 8px;background:#fff;border-bottom:1px solid #e1dfdd}[data-id=CommandBar] button{font:inherit;font-size:13px;background:none;border:0;padding:6px 10px;cursor:pointer}
[data-id=editFormRoot]{padding:0 16px 16px}
[data-id=form-header]{display:flex;justify-content:space-between;align-items:flex-start;padding:12px 0}
[data-id=header_title]{font-size:20px;font-weight:600;margin:0}.entity-name{color:#605e5c;font-size:12px}
[data-id=headerControlsList],.header-list{display:flex;gap:24px}.value-text{font-weight:600}.header-item .value{font-weight:600}.header-item .label{font-size:12px;color:#605e5c}
[role=tablist]{display:flex;gap:20px;list-style:none;padding:0;border-bottom:1px solid #e1dfdd;margin:0 0 12px}[role=tab]{font:inherit;background:none;border:0;padding:8px 0;cursor:pointer}[role=tab][aria-selected=true]{border-bottom:2px solid #0f6cbd;font-weight:600}
section.form-section{background:#fff;border-radius:4px;padding:12px 16px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.1)}section h2{font-size:15px;margin:0 0 8px}
.field{display:flex;align-items:center;padding:4px 0;border-bottom:1px solid #f3f2f1}.field label{width:180px;color:#605e5c;font-size:13px}.field input,.field button[role=combobox]{flex:1;font:inherit;border:1px solid transparent;padding:4px 6px;background:#f5f5f5;text-align:left}
.shimmer{height:16px;background:#edebe9;border-radius:2px;margin:10px 0}
.grid-wrap{margin:0 16px;background:#fff;height:calc(100vh - 160px);overflow:auto;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.ag-body{display:flex}.ag-pinned-left-cols-container .ag-cell{padding:0 12px;text-overflow:clip}.ag-pinned-left-cols-container{width:40px;flex:none}.ag-center-cols-container{flex:1}
.ag-row{display:flex;height:42px;align-items:center;border-bottom:1px solid #edebe9}.ag-cell{padding:0 12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;width:200px;flex:none}.ag-header .ag-row{font-weight:600;background:#faf9f8}
h1.view-title{font-size:20px;margin:12px 16px}
`;
