import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/types';

/**
 * The invitation handover page the admin sends: served without the database, in the reader's
 * language, never cached or framed, running only its own script (by hash), and holding no code.
 */
const noDb = {} as Database;

describe('GET /join', () => {
  it('serves the handover page in Japanese by default and in English when the browser prefers it', async () => {
    const app = createApp({ db: noDb });
    const ja = await app.request('/join');
    expect(ja.status).toBe(200);
    expect(ja.headers.get('content-type')).toMatch(/^text\/html/);
    const jaHtml = await ja.text();
    expect(jaHtml).toContain('<html lang="ja">');
    expect(jaHtml).toContain('招待リンク');
    const en = await app.request('/join', { headers: { 'accept-language': 'en-US,en;q=0.9,ja;q=0.5' } });
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en">');
    expect(enHtml).toContain('Invitation link');
  });

  it('may not be framed or cached, sends no referrer, and allows exactly its one inline script', async () => {
    const response = await createApp({ db: noDb }).request('/join');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
  });
});
