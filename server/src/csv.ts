import { parse } from 'csv-parse/sync';

/**
 * The encodings a CSV upload may name in its Content-Type charset. Excel in Japan saves "CSV"
 * in Shift_JIS (Windows-31J) unless told otherwise, so that is what an unlabelled file that is
 * not valid UTF-8 is taken to be.
 */
const SHIFT_JIS_LABELS = new Set(['shift_jis', 'shift-jis', 'sjis', 'windows-31j', 'cp932', 'ms932', 'x-sjis']);

/** The request names a charset this server does not read (the route answers 415, not 400). */
export class UnsupportedCharsetError extends Error {
  constructor(readonly charset: string) {
    super(`unsupported charset "${charset}" (send UTF-8 or Shift_JIS)`);
    this.name = 'UnsupportedCharsetError';
  }
}

/**
 * Decodes an uploaded CSV file: in the charset the request names (UTF-8 or a Shift_JIS label);
 * without one, as UTF-8 when the bytes are valid UTF-8, else as Shift_JIS. A UTF-8 BOM is dropped.
 * @throws UnsupportedCharsetError for a charset other than UTF-8 or Shift_JIS.
 * @throws Error when the bytes are not valid in the named charset (or, unlabelled, in either).
 */
export function decodeCsvBytes(bytes: Uint8Array, charset?: string): string {
  const label = charset?.trim().toLowerCase().replace(/^"|"$/g, '');
  if (label && label !== 'utf-8' && label !== 'utf8' && !SHIFT_JIS_LABELS.has(label)) throw new UnsupportedCharsetError(label);
  const decode = (encoding: string) => new TextDecoder(encoding, { fatal: true }).decode(bytes);
  try {
    if (label && SHIFT_JIS_LABELS.has(label)) return decode('shift_jis');
    if (label) return decode('utf-8');
    try {
      return decode('utf-8');
    } catch {
      return decode('shift_jis');
    }
  } catch {
    throw new Error(`the file is not valid ${label && SHIFT_JIS_LABELS.has(label) ? 'Shift_JIS' : label ? 'UTF-8' : 'UTF-8 or Shift_JIS'} text`);
  }
}

/**
 * Parses RFC 4180 CSV (quoted fields with "" escapes and line breaks, CRLF or LF, optional
 * UTF-8 BOM) into objects keyed by the trimmed header row, with csv-parse. Rows whose cells are
 * all empty or blank are skipped; a row shorter than the header lacks the missing columns, cells
 * beyond the header are dropped. A quote inside an unquoted cell (`資料 "A"`) is kept as text, as
 * the hand-written parser this replaced did: hand-edited files have them, Excel never writes them.
 * @throws Error with the parser's explanation (e.g. an unterminated quoted field, and where).
 */
export function parseCsv(text: string): Record<string, string>[] {
  try {
    return parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      relax_quotes: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error));
  }
}
