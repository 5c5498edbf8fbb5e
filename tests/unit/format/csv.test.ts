import { describe, expect, it } from 'vitest';
import { csvCell, csvMimeType, csvText, encodeCsv, UTF8_BOM } from '../../../lib/format/csv';

const text = csvText([
  ['reason', 'name', 'comment'],
  ['却下', '株式会社サクラテック 山田 太郎', '電話番号が不通, "再確認"\n要対応'],
  ['=SUM(A1)', '髙橋 ①㈱', '〜 − 〜'],
]);

describe('CSV text', () => {
  it('quotes per RFC 4180, ends lines with CRLF, and keeps a formula from running', () => {
    expect(text.split('\r\n')[0]).toBe('reason,name,comment');
    expect(text).toContain('"電話番号が不通, ""再確認""\n要対応"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(0.25)).toBe('0.25');
    expect(text.endsWith('\r\n')).toBe(true);
  });
});

describe('CSV bytes for Excel', () => {
  it('UTF-8 starts with the BOM (EF BB BF) and decodes back to the same text', async () => {
    const bytes = await encodeCsv(text, 'utf-8');
    expect([...bytes.slice(0, 3)]).toEqual([...UTF8_BOM]);
    expect(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes)).toBe(text);
    expect(csvMimeType('utf-8')).toBe('text/csv;charset=utf-8');
  });

  it('Shift_JIS has no BOM, writes 却下 as its two-byte code, and decodes back (Windows-31J) with 〜 and − as Windows writes them', async () => {
    const bytes = await encodeCsv(text, 'shift_jis');
    expect([...bytes.slice(0, 4)]).toEqual([0x72, 0x65, 0x61, 0x73]); // "reas": ASCII as is, no BOM
    const line2 = text.indexOf('却下');
    expect(line2).toBeGreaterThan(0);
    // 却 = 0x8B70, 下 = 0x89BA in Shift_JIS
    const at = bytes.findIndex((_, i) => bytes[i] === 0x8b && bytes[i + 1] === 0x70 && bytes[i + 2] === 0x89 && bytes[i + 3] === 0xba);
    expect(at).toBeGreaterThan(0);
    const decoded = new TextDecoder('shift_jis').decode(bytes);
    expect(decoded).toBe(text.replace(/〜/g, '～').replace(/−/g, '－'));
    expect(decoded).toContain('髙橋 ①㈱');
    expect(csvMimeType('shift_jis')).toBe('text/csv;charset=shift_jis');
  });

  it('Shift_JIS writes "?" for a character it cannot hold', async () => {
    expect(new TextDecoder('shift_jis').decode(await encodeCsv('𠮷野家 😀\r\n', 'shift_jis'))).toBe('?野家 ?\r\n');
  });
});
