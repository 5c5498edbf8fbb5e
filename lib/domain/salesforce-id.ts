const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;

/** True when `id` has the shape of a Salesforce record id (15 or 18 base-62 characters). */
export function isSalesforceId(id: string): boolean {
  return ID_15.test(id) || ID_18.test(id);
}

/**
 * Salesforce record id → its 18-character case-safe form (what CASESAFEID() returns).
 * A 15-character id gets its 3-character suffix; an 18-character id is returned as is.
 * @throws Error when `id` is not 15 or 18 base-62 characters.
 */
export function toCaseSafeId(id: string): string {
  if (ID_18.test(id)) return id;
  if (!ID_15.test(id)) throw new Error(`Not a Salesforce record id: ${JSON.stringify(id)}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}
