// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { RequestSchema } from '../../../lib/messaging/protocol';
import { ruleInputFromCells } from '../../../lib/crm/list-columns';
import { listRowCells } from '../../../lib/crm/dom';

const listRequest = (cells: unknown) => ({ type: 'page.listStatuses', crm: 'salesforce', recordIds: ['00Q5g00000AbCdEEAV'], cells });

describe('list rows sent for hand-off rules', () => {
  it('the worker takes a row as its cells by column (text or a checkbox state), within bounds', () => {
    expect(RequestSchema.safeParse(listRequest({ '00Q5g00000AbCdEEAV': { リード状況: 'MQL', MQL判定: true } })).success).toBe(true);
    const wide = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`c${i}`, 'x']));
    expect(RequestSchema.safeParse(listRequest({ '00Q5g00000AbCdEEAV': wide })).success).toBe(false);
    expect(RequestSchema.safeParse(listRequest({ '00Q5g00000AbCdEEAV': { リード状況: 'x'.repeat(201) } })).success).toBe(false);
    // a page without a rule to serve sends no cells at all
    expect(RequestSchema.safeParse(listRequest(undefined)).success).toBe(true);
  });

  it('reads a Lightning row by its column labels, and a Power Apps row by its column ids', () => {
    document.body.innerHTML = `
      <table><tr id="sf"><th data-label="名前"><a>山田 太郎</a></th><td data-label="リード状況"><lightning-primitive-cell-factory data-label="リード状況">MQL</lightning-primitive-cell-factory></td>
      <td data-label="所有者">ksato</td><td data-label="MQL判定"><input type="checkbox" checked></td></tr></table>
      <div id="dyn" role="row"><div col-id="fullname">佐藤</div><div col-id="statuscode">New</div><div col-id="leadsourcecode">Web</div></div>`;
    const sf = listRowCells(document.getElementById('sf')!);
    expect(sf).toEqual({ 名前: '山田 太郎', リード状況: 'MQL', 所有者: 'ksato', MQL判定: true });
    expect(ruleInputFromCells(sf)).toEqual({ status: 'MQL', owner: 'ksato', checkboxes: { MQL判定: true } });
    expect(ruleInputFromCells(listRowCells(document.getElementById('dyn')!))).toEqual({ status: 'New', leadSource: 'Web' });
  });

  it('reads a plain table row by its header row: Classic list views and HubSpot index tables', () => {
    document.body.innerHTML = `
      <table class="list"><tr class="headerRow"><th>名前</th><th>会社名</th><th>リード状況</th></tr>
      <tr id="classic" class="dataRow"><th scope="row"><a href="/00Q5g00000AbCdE">山田 太郎</a></th><td>株式会社サクラテック</td><td>MQL</td></tr></table>
      <table><thead><tr><th><div>名前</div></th><th><div>Eメール</div></th><th><div>リードステータス</div></th></tr></thead>
      <tbody><tr id="hs"><td><a href="/contacts/1/record/0-1/2">佐藤 健</a> <button>プレビュー</button></td><td>sato@example.jp</td><td>新規</td></tr></tbody></table>`;
    expect(listRowCells(document.getElementById('classic')!)).toEqual({ 名前: '山田 太郎', 会社名: '株式会社サクラテック', リード状況: 'MQL' });
    expect(ruleInputFromCells(listRowCells(document.getElementById('classic')!))).toEqual({ status: 'MQL' });
    expect(ruleInputFromCells(listRowCells(document.getElementById('hs')!))).toEqual({ status: '新規' });
  });
});
