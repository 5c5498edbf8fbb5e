import { toCaseSafeId } from '../../lib/domain/salesforce-id';

/**
 * The sandbox CRM's data. Tests and the start script import it to seed hand-offs for the same
 * leads the sandbox pages show, so every id here is fixed: `id15` is the form users paste into
 * URLs, `id` the 18-character case-safe form SAL Bridge stores (a unit test checks they agree).
 */
export interface SandboxLead {
  /** 15-character Lead id (case-sensitive), usable in `/lightning/r/Lead/<id15>/view`. */
  id15: string;
  /** 18-character case-safe Lead id (`00Q…`). */
  id: string;
  lastName: string;
  firstName: string;
  company: string;
  title: string;
  /** Missing on purpose for one lead (data-check "email missing"). */
  email?: string;
  phone: string;
  leadSource: string;
  status: string;
  owner: string;
  /** Marketing-automation score (custom field `Score__c`). */
  score: number;
  /** Only on the `?sandboxHostile=1` pages' lists (its record page always resolves). */
  hostile?: boolean;
}

export interface SandboxAccount {
  id15: string;
  id: string;
  name: string;
  industry: string;
  phone: string;
}

/** The owner shown on every lead; a `force-lookup` to a User (`005…`). */
export const SANDBOX_OWNER = { id: '0055g00000RePo1AAF', name: '佐藤 健一' } as const;

export const SANDBOX_LEADS: readonly SandboxLead[] = [
  lead('00Q5g00000AbCdE', '00Q5g00000AbCdEEAV', '山田', '太郎', '株式会社サクラテック', '営業部長', 'taro.yamada@sakuratech.co.jp', '03-1234-5678', 'Web', 'Open - Not Contacted', 82),
  lead('00Q5g00000FgHiJ', '00Q5g00000FgHiJEAV', '佐々木', '花子', '株式会社みらい物流', '情報システム部 課長', 'hanako.sasaki@mirai-logi.jp', '06-6123-4567', 'セミナー', 'Working - Contacted', 74),
  lead('00Q5g00000KlMnO', '00Q5g00000KlMnOEAV', '高橋', '誠', '東和精機株式会社', '代表取締役', 'makoto.takahashi@towa-seiki.co.jp', '052-987-6543', '展示会', 'Open - Not Contacted', 91),
  lead('00Q5g00000PqRsT', '00Q5g00000PqRsTEAV', '鈴木', '一郎', '合同会社ひかりデザイン', 'マーケティング部 部長', undefined, '03-5555-0101', 'ホワイトペーパー', 'Open - Not Contacted', 66),
  lead('00Q5g00000UvWxY', '00Q5g00000UvWxYEAV', '伊藤', '美咲', '株式会社北斗システムズ', '経営企画室 室長', 'misaki.ito@hokuto-sys.jp', '03-12', 'Web', 'Open - Not Contacted', 70),
  lead('00Q5g00000ZaBcD', '00Q5g00000ZaBcDEAV', '渡辺', '健', '株式会社青葉フーズ', '購買部 担当', 'ken.watanabe@aoba-foods.co.jp', '022-211-3344', 'Web', 'Open - Not Contacted', 12),
  lead(
    '00Q5g00000eFgHi',
    '00Q5g00000eFgHiEAK',
    '中村',
    '陽子',
    '株式会社ネクストメディカル',
    '事業開発部 部長',
    'yoko.nakamura@nextmed.jp',
    '03-6789-0123',
    'パートナー紹介',
    'Working - Contacted',
    88,
  ),
  lead(
    '00Q5g00000JkLmN',
    '00Q5g00000JkLmNEAV',
    '小林',
    '大輔',
    '大和建設株式会社',
    'DX推進室 マネージャー',
    'daisuke.kobayashi@yamato-kensetsu.co.jp',
    '092-711-2233',
    'セミナー',
    'Open - Not Contacted',
    59,
  ),
  lead('00Q5g00000oPqRs', '00Q5g00000oPqRsEAK', '加藤', '由美', '株式会社しずく化粧品', '人事部 部長', 'yumi.kato@shizuku-cosme.jp', '045-333-8899', '展示会', 'Open - Not Contacted', 77),
  lead(
    '00Q5g00000TuVwX',
    '00Q5g00000TuVwXEAV',
    'Smith',
    'Emily',
    'Globex Japan K.K.',
    'Head of Sales Operations',
    'emily.smith@globex.example.com',
    '+81-3-4567-8901',
    'Web',
    'Open - Not Contacted',
    80,
  ),
  lead('00Q5g00000yZaBc', '00Q5g00000yZaBcEAK', '吉田', '翔', '株式会社エッジソリューションズ', 'CTO', 'sho.yoshida@edge-solutions.jp', '03-3210-9876', 'ウェビナー', 'Open - Not Contacted', 85),
  lead(
    '00Q5g00000DeFgH',
    '00Q5g00000DeFgHEAV',
    '山本',
    'さくら',
    '株式会社くらしエナジー',
    '総務部 係長',
    'sakura.yamamoto@kurashi-energy.jp',
    '011-222-7788',
    'ホワイトペーパー',
    'Working - Contacted',
    63,
  ),
  {
    ...lead(
      '00Q5g00000HoStL',
      '00Q5g00000HoStLEAV',
      '<img src=x onerror="window.__salPwned=1">悪意',
      '<script>window.__salPwned=1</script>',
      '<script>window.__salPwned=1</script>株式会社<b>テスト</b>',
      '<iframe src="javascript:alert(1)">',
      'evil@example.com',
      '03-0000-0000',
      'Web',
      'Open - Not Contacted',
      50,
    ),
    hostile: true,
  },
  {
    // values that once stalled a whole team's sync (issue 9): a company of 499 characters ending
    // in an emoji (a cut at 500 UTF-16 units halves it) and a title with a NUL character
    ...lead('00Q5g00000PoIsN', toCaseSafeId('00Q5g00000PoIsN'), '毒見', '値', `${'株'.repeat(499)}🏢`, 'CTO\u0000', 'poison@example.com', '03-0000-0001', 'Web', 'Open - Not Contacted', 10),
    hostile: true,
  },
];

/** Accounts, for the "other page" (neither lead record nor lead list) measurements. */
export const SANDBOX_ACCOUNTS: readonly SandboxAccount[] = [
  { id15: '0015g00000AcMe1', id: '0015g00000AcMe1AAF', name: '株式会社サクラテック', industry: '情報通信', phone: '03-1234-5000' },
  { id15: '0015g00000GlObX', id: '0015g00000GlObXAAV', name: 'Globex Japan K.K.', industry: '製造', phone: '+81-3-4567-8900' },
];

/** The lead whose company ends in an emoji at the 500-unit limit and whose title holds a NUL (listed like the hostile one). */
export const POISON_LEAD_ID = toCaseSafeId('00Q5g00000PoIsN');

/** The lead id whose fields contain markup and script text (the `?sandboxHostile=1` lead). */
export const HOSTILE_LEAD_ID = '00Q5g00000HoStLEAV';

/** The leads shown on the pages by default (the hostile one only on `?sandboxHostile=1` pages). */
export const NAMED_LEADS: readonly SandboxLead[] = SANDBOX_LEADS.filter((l) => !l.hostile);

const FILLER_COMPANIES = ['株式会社あおぞら商事', '株式会社いろは工業', '有限会社うみかぜ', '株式会社えにし', '株式会社おおぞらIT'];
const FILLER_LAST = ['田中', '松本', '井上', '木村', '林', '清水', '山口', '森', '池田', '橋本'];
const FILLER_FIRST = ['翼', '結衣', '蓮', '陽菜', '湊', '葵', '悠真', '凛', '大和', '芽依'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Deterministic filler leads for the list view, so that incremental rendering (50 rows, more on
 * scroll) and sorting have enough rows to matter. Their ids start `00Q5g00001`.
 */
export function fillerLeads(count: number): SandboxLead[] {
  const out: SandboxLead[] = [];
  for (let i = 0; i < count; i++) {
    let n = i;
    let tail = '';
    for (let k = 0; k < 5; k++) {
      tail = BASE62[n % 62] + tail;
      n = Math.floor(n / 62);
    }
    const id15 = `00Q5g00001${tail}`;
    const last = FILLER_LAST[i % FILLER_LAST.length] ?? '田中';
    const first = FILLER_FIRST[(i * 7) % FILLER_FIRST.length] ?? '翼';
    out.push(
      lead(
        id15,
        toCaseSafeId(id15),
        last,
        first,
        `${FILLER_COMPANIES[i % FILLER_COMPANIES.length] ?? '株式会社'} ${i + 1}号`,
        '担当',
        `lead${i + 1}@example.co.jp`,
        `03-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(2000 + i).slice(-4)}`,
        'Web',
        'Open - Not Contacted',
        (i * 37) % 100,
      ),
    );
  }
  return out;
}

/** Number of filler leads appended to the list view after the named ones. */
export const LIST_FILLER_COUNT = 188;

/** Looks a lead up by its 15- or 18-character id (ids compare in the 18-character form). */
export function findSandboxLead(id: string): SandboxLead | undefined {
  let key: string;
  try {
    key = toCaseSafeId(id);
  } catch {
    return undefined;
  }
  return SANDBOX_LEADS.find((l) => l.id === key) ?? fillerLeads(LIST_FILLER_COUNT).find((l) => l.id === key);
}

/** Display name as a Japanese org shows it (family name first). */
export function leadDisplayName(l: Pick<SandboxLead, 'lastName' | 'firstName'>): string {
  return `${l.lastName} ${l.firstName}`;
}

function lead(
  id15: string,
  id: string,
  lastName: string,
  firstName: string,
  company: string,
  title: string,
  email: string | undefined,
  phone: string,
  leadSource: string,
  status: string,
  score: number,
): SandboxLead {
  return {
    id15,
    id,
    lastName,
    firstName,
    company,
    title,
    ...(email === undefined ? {} : { email }),
    phone,
    leadSource,
    status,
    owner: SANDBOX_OWNER.name,
    score,
  };
}

/** A sandbox lead as marketing hands it over (`POST /v1/handoffs` item), as the demo and the e2e tests do. */
export function handoffItemOf(l: SandboxLead) {
  return {
    crm: 'salesforce',
    recordId: l.id,
    by: '田中 美咲',
    source: l.leadSource,
    score: l.score,
    lead: { name: `${l.lastName} ${l.firstName}`, company: l.company, title: l.title },
  };
}
