import { HOSTILE_LEAD_ID, NAMED_LEADS, SANDBOX_LEADS, findSandboxLead, leadDisplayName, type SandboxLead } from './leads';

// Salesforce Classic pages: server-rendered, full page loads (no SPA), `body.sfdcBody`,
// `.detailList` tables of labelCol/dataCol pairs; list view at `/00Q?fcf=<00B id>`.

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(title)} ~ Salesforce - Unlimited Edition</title>
<style>body{font-family:Arial,"Noto Sans CJK JP",sans-serif;font-size:12px}.detailList td{padding:4px 8px}.labelCol{text-align:right;color:#4a4a56;font-weight:bold}</style></head>
<body class="hasMotif leadTab sfdcBody brandQuaternaryBgr"><div id="AppBodyHeader"><a href="/00Q?fcf=00B5g00000AbCdE">リード</a></div>
<table id="bodyTable"><tr><td id="bodyCell">${body}</td></tr></table></body></html>`;
}

/** Classic lead detail page, or null when `path` is not a known lead id. */
export function classicRecordPage(path: string): string | null {
  const m = /^\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)$/.exec(path);
  const lead = m?.[1] ? findSandboxLead(m[1]) : undefined;
  if (!lead) return null;
  const row = (l1: string, v1: string, l2: string, v2: string) =>
    `<tr><td class="labelCol">${esc(l1)}</td><td class="dataCol col02">${esc(v1)}</td><td class="labelCol">${esc(l2)}</td><td class="dataCol">${esc(v2)}</td></tr>`;
  return page(
    leadDisplayName(lead),
    `<div class="bPageTitle"><div class="ptBody"><h1 class="pageType">リード</h1><h2 class="pageDescription">${esc(leadDisplayName(lead))}</h2></div></div>
<div class="bPageBlock brandSecondaryBrd bDetailBlock"><div class="pbHeader"><input class="btn" type="button" value="編集" name="edit"><input class="btn" type="button" value="取引開始" name="convert"></div>
<div class="pbBody"><div class="pbSubsection"><table class="detailList">
${row('リード所有者', lead.owner, 'リード状況', lead.status)}
${row('名前', leadDisplayName(lead), '電話', lead.phone)}
${row('会社名', lead.company, 'メール', lead.email ?? '')}
${row('役職', lead.title, 'リードソース', lead.leadSource)}
${row('スコア', String(lead.score), '', '')}
</table></div></div></div>`,
  );
}

/** Classic lead list view (`/00Q?fcf=…`): a table of rows linking to each lead. */
export function classicListPage(hostile: boolean): string {
  const leads: SandboxLead[] = hostile ? [...SANDBOX_LEADS] : [...NAMED_LEADS];
  const rows = leads
    .map(
      (l) =>
        `<tr class="dataRow${l.id === HOSTILE_LEAD_ID ? ' hostile' : ''}"><th scope="row" class="dataCell"><a href="/${l.id15}">${esc(leadDisplayName(l))}</a></th><td class="dataCell">${esc(l.company)}</td><td class="dataCell">${esc(l.status)}</td></tr>`,
    )
    .join('\n');
  return page(
    'リード',
    `<div class="bPageTitle"><h1 class="pageType">リード</h1></div><div class="listViewport"><table class="list"><tr class="headerRow"><th>名前</th><th>会社名</th><th>リード状況</th></tr>${rows}</table></div>`,
  );
}
