import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueueView } from '../../../components/popup/QueueView';
import { buildQueue } from '../../../lib/domain/sla-queue';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { accepted, handedOver, jst, REP_A } from '../../unit/domain/builders';

process.env.TZ = 'Asia/Tokyo';

const URL_A = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view';
const URL_B = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000FgHiJ/view';
const KEY_B = 'salesforce:00Q5g00000FgHiJEAV';
const now = jst('2026-11-24T16:00');

function renderQueue(lang: Lang) {
  const fresh = [handedOver({ at: jst('2026-11-24T15:00'), lead: { name: '山田 太郎', company: '株式会社サクラテック', url: URL_A } })];
  const late = [
    handedOver({ at: jst('2026-11-19T09:00'), leadKey: KEY_B, lead: { name: '佐々木 花子', company: '株式会社みらい物流', url: URL_B } }),
    accepted({ at: jst('2026-11-19T10:00'), leadKey: KEY_B, actor: REP_A }),
  ];
  const items = buildQueue(
    new Map([
      [fresh[0]!.leadKey, fresh],
      [KEY_B, late],
    ]),
    DEFAULT_DEFINITION,
    { id: REP_A.id },
    now,
  );
  const onOpen = vi.fn();
  render(<QueueView items={items} t={createTranslator(lang)} lang={lang} onOpen={onOpen} />);
  return { onOpen, user: userEvent.setup() };
}

describe('popup queue', () => {
  it('ja: most urgent first with countdowns; a lead opens its CRM page', async () => {
    const { onOpen, user } = renderQueue('ja');
    expect(screen.getByRole('heading', { name: '自分のキュー (2)' })).toBeInTheDocument();
    expect(screen.getByTestId('queue-summary')).toHaveTextContent('期限超過 1 件 · まもなく期限 0 件');
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('佐々木 花子 · 株式会社みらい物流');
    expect(items[0]).toHaveAttribute('data-urgency', 'breached');
    expect(within(items[0]!).getByRole('timer')).toHaveTextContent('超過');
    expect(items[1]).toHaveTextContent('山田 太郎');
    expect(within(items[1]!).getByRole('timer')).toHaveTextContent('残り 7時間 0分');
    expect(items[1]).toHaveTextContent('営業時間で計算');
    // the button's name is what it shows: the lead and its status (WCAG 2.5.3)
    await user.click(screen.getByRole('button', { name: '山田 太郎 · 株式会社サクラテック 受領待ち' }));
    expect(onOpen).toHaveBeenCalledWith(URL_A);
  });

  it('en: labels in English and an empty queue says so', () => {
    renderQueue('en');
    expect(screen.getByRole('heading', { name: 'My queue (2)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '佐々木 花子 · 株式会社みらい物流 Accepted (SAL)' })).toBeEnabled();
    render(<QueueView items={[]} t={createTranslator('en')} lang="en" onOpen={() => undefined} />);
    expect(screen.getByText('No leads waiting for you')).toBeInTheDocument();
  });
});
