import { describe, expect, it } from 'vitest';
import { normaliseBackendUrl, originPattern } from '../../../lib/settings/backend';

describe('normaliseBackendUrl', () => {
  it.each([
    ['https://sal.example.co.jp/', { ok: true, url: 'https://sal.example.co.jp' }],
    ['  https://sal.example.co.jp/api/ ', { ok: true, url: 'https://sal.example.co.jp/api' }],
    ['http://localhost:8787', { ok: true, url: 'http://localhost:8787' }],
    ['http://127.0.0.1:8787/', { ok: true, url: 'http://127.0.0.1:8787' }],
    ['http://sal.example.co.jp', { ok: false, error: 'insecure_url' }],
    ['ftp://sal.example.co.jp', { ok: false, error: 'insecure_url' }],
    ['sal.example.co.jp', { ok: false, error: 'invalid_url' }],
    ['https://user:pw@sal.example.co.jp', { ok: false, error: 'invalid_url' }],
  ])('%s', (input, expected) => {
    expect(normaliseBackendUrl(input)).toEqual(expected);
  });

  it('asks for the backend origin only', () => {
    expect(originPattern('https://sal.example.co.jp/api')).toBe('https://sal.example.co.jp/*');
    expect(originPattern('http://localhost:8787')).toBe('http://localhost/*');
  });
});
