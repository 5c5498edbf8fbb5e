import { describe, expect, it } from 'vitest';
import { inviteHandoverLink, inviteLink, parseInviteLink } from '../../../lib/sync/session';

/** The two forms of an invitation link a rep may paste, and what is not one. */
const CODE = 'Abc-_'.repeat(8);

describe('invitation links', () => {
  it('reads the handover page address the admin sends: the server is the page without /join', () => {
    const link = inviteHandoverLink({ server: 'https://sal.example.co.jp', code: CODE });
    expect(link).toBe(`https://sal.example.co.jp/join#invite=${CODE}`);
    expect(parseInviteLink(link)).toEqual({ server: 'https://sal.example.co.jp', code: CODE });
    // a server under a path prefix, and surrounding whitespace from a mail client
    expect(parseInviteLink(`  https://corp.example/sal/join#invite=${CODE}\n`)).toEqual({ server: 'https://corp.example/sal', code: CODE });
    expect(parseInviteLink(inviteHandoverLink({ server: 'http://localhost:8787', code: CODE }))).toEqual({ server: 'http://localhost:8787', code: CODE });
  });

  it('reads the options page form with its server parameter', () => {
    const link = inviteLink('chrome-extension://abc/options.html', { server: 'https://sal.example.co.jp', code: CODE });
    expect(parseInviteLink(link)).toEqual({ server: 'https://sal.example.co.jp', code: CODE });
  });

  it('refuses what is not an invitation: no code, a short code, plain http off localhost, another page, a query', () => {
    expect(parseInviteLink('https://sal.example.co.jp/join')).toBeNull();
    expect(parseInviteLink('https://sal.example.co.jp/join#invite=short')).toBeNull();
    expect(parseInviteLink(`http://sal.example.co.jp/join#invite=${CODE}`)).toBeNull();
    expect(parseInviteLink(`https://sal.example.co.jp/login#invite=${CODE}`)).toBeNull();
    expect(parseInviteLink(`https://sal.example.co.jp/join?next=x#invite=${CODE}`)).toBeNull();
    expect(parseInviteLink('not a link')).toBeNull();
  });
});
