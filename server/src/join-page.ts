import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The invitation handover page, `GET /join#invite=<code>`: what the admin sends a rep.
 *
 * An invitation link that opens the extension's options page (`chrome-extension://…`) cannot be
 * clicked from mail or chat: browsers refuse to open extension pages from web pages, and a rep may
 * not have the extension yet. So the link the admin sends points at the team's own server; this
 * page tells the rep what to do (install SAL Bridge if needed, then paste this very address into
 * its options page, which accepts it as an invitation: lib/sync/session.ts `parseInviteLink`).
 *
 * The code travels in the fragment, which browsers never send to a server, so it stays out of
 * access logs and proxies; the page reads nothing from the request and works without script (the
 * one inline script only adds a copy button, allowed by its hash). It may not be framed.
 */

const SCRIPT = `document.querySelectorAll('[data-copy]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){navigator.clipboard.writeText(location.href).then(function(){b.textContent=b.getAttribute('data-done')})})});document.getElementById('link').textContent=location.href;`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

const TEXT = {
  ja: {
    title: 'SAL Bridge へのご招待',
    lead: 'チームの管理者から SAL Bridge への招待が届いています。この招待は 1 回だけ、期限まで使えます。',
    step1: 'SAL Bridge をまだ入れていなければ、社内の案内 (または Chrome ウェブストア) からインストールしてください。',
    step2: 'ツールバーの SAL Bridge を右クリックして「オプション」を開きます。',
    step3: '「招待で参加」の「招待リンク」に、このページのアドレスを貼り付けて「チームに参加」を押します。',
    linkLabel: 'このページのアドレス (招待リンク):',
    copy: 'アドレスをコピー',
    copied: 'コピーしました',
    private: 'このリンクはあなた専用です。他の人に転送しないでください。',
  },
  en: {
    title: 'Your invitation to SAL Bridge',
    lead: "Your team's admin has invited you to SAL Bridge. The invitation works once, until it expires.",
    step1: "If SAL Bridge is not installed yet, install it (from your company's instructions or the Chrome Web Store).",
    step2: 'Right-click SAL Bridge in the toolbar and open "Options".',
    step3: 'Under "Join with an invitation", paste the address of this page into "Invitation link" and press "Join the team".',
    linkLabel: 'The address of this page (your invitation link):',
    copy: 'Copy the address',
    copied: 'Copied',
    private: 'This link is for you only. Do not forward it.',
  },
} as const;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page in the reader's language: Japanese unless the browser prefers English. */
export function joinPageHtml(acceptLanguage: string | undefined): string {
  const lang = /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'ja';
  const t = TEXT[lang];
  const e = (key: keyof typeof t) => escapeHtml(t[key]);
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e('title')}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#1b1f24}
h1{font-size:1.4rem}ol{padding-left:1.4rem}code{display:block;word-break:break-all;background:#f3f4f6;padding:.5rem;border-radius:4px}
button{font:inherit;padding:.4rem 1rem;margin-top:.5rem;border-radius:4px;border:1px solid #0b5cab;background:#0b5cab;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}.note{color:#57606a;font-size:.9rem}
</style>
</head>
<body>
<main>
<h1>${e('title')}</h1>
<p>${e('lead')}</p>
<ol>
<li>${e('step1')}</li>
<li>${e('step2')}</li>
<li>${e('step3')}</li>
</ol>
<p>${e('linkLabel')}</p>
<code id="link"></code>
<button type="button" data-copy data-done="${e('copied')}" hidden>${e('copy')}</button>
<p class="note">${e('private')}</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>`;
}

/** Serves the page: not cached, not framed, no referrer, only its own script. */
export function serveJoinPage(c: Context): Response {
  c.header('content-type', 'text/html; charset=utf-8');
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-frame-options', 'DENY');
  c.header('x-content-type-options', 'nosniff');
  c.header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`);
  return c.body(joinPageHtml(c.req.header('accept-language')));
}
