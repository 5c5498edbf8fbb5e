import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from '../../../lib/protocol/extension-id';

describe('extension id', () => {
  it('is the id Chrome derives from the manifest key (so CORS and policy can name it)', () => {
    const hex = createHash('sha256').update(Buffer.from(EXTENSION_PUBLIC_KEY, 'base64')).digest('hex').slice(0, 32);
    const derived = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
    expect(derived).toBe(EXTENSION_ID);
  });
});
