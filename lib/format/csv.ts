/**
 * CSV for the review meeting's tool, Excel: RFC 4180 text, then bytes Excel opens correctly in
 * Japanese. Excel reads a CSV without a BOM in the system's code page (Shift_JIS on a Japanese
 * Windows), so UTF-8 goes out with a BOM; Shift_JIS (Windows-31J) is for older Excel and tools
 * that take nothing else.
 */

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet does not run a name as a formula. */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text, CRLF line ends (as Excel writes them), a final CRLF included. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export type CsvEncoding = 'utf-8' | 'shift_jis';

export const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/**
 * Characters Windows-31J has only under another code point than the one Unicode text (a Mac, a
 * web form) usually carries: 〜 (wave dash) is ～ there, − is －, and so on. Without this a
 * conversion writes "?" for them.
 */
const TO_CP932: Readonly<Record<string, string>> = { '\u301c': '\uff5e', '\u2212': '\uff0d', '\u2016': '\u2225', '\u2014': '\u2015', '\u00a2': '\uffe0', '\u00a3': '\uffe1', '\u00ac': '\uffe2' };

/**
 * The CSV text as the bytes of a file: UTF-8 with a BOM (`utf-8`, lossless), or Shift_JIS
 * (Windows-31J, `shift_jis`; a character it cannot hold, e.g. an emoji or 𠮷, becomes "?").
 * The Shift_JIS table (encoding-japanese, ~220 KB) is loaded only when asked for, so the page
 * does not carry it.
 */
export async function encodeCsv(text: string, encoding: CsvEncoding): Promise<Uint8Array> {
  if (encoding === 'utf-8') {
    const body = new TextEncoder().encode(text);
    const out = new Uint8Array(UTF8_BOM.length + body.length);
    out.set(UTF8_BOM);
    out.set(body, UTF8_BOM.length);
    return out;
  }
  const { default: Encoding } = await import('encoding-japanese');
  const normalised = text.replace(/[\u301c\u2212\u2016\u2014\u00a2\u00a3\u00ac]/g, (c) => TO_CP932[c] ?? c);
  return Uint8Array.from(Encoding.convert(Encoding.stringToCode(normalised), { to: 'SJIS', from: 'UNICODE' }));
}

/** The MIME type of a CSV file in `encoding` (the charset names what `encodeCsv` wrote). */
export function csvMimeType(encoding: CsvEncoding): string {
  return `text/csv;charset=${encoding === 'utf-8' ? 'utf-8' : 'shift_jis'}`;
}
