import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HistoryList } from '../../../components/panel/HistoryList';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { foldLead } from '../../../lib/domain/lifecycle';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { handedOver, rejected, reviewed, MARKETER, REP_A } from '../../unit/domain/builders';

const history = foldLead([
  handedOver({ at: '2026-11-16T01:00:00Z' }),
  rejected({ at: '2026-11-16T02:00:00Z', actor: REP_A }, { reasonCode: 'bad_contact_data' }),
  reviewed({ at: '2026-11-19T06:00:00Z', actor: MARKETER }, { outcome: 'fix_data', note: '電話番号を確認して再送' }),
]).history;

describe("the lead's history in the panel", () => {
  it.each([
    ['ja', '履歴', 'リード検討会議の結論 · データを修正する'],
    ['en', 'History', 'Lead review outcome · Fix the data'],
  ] as const)('%s: shows the review meeting’s outcome, who recorded it and its note', async (lang: Lang, summary, line) => {
    render(<HistoryList history={history} definition={DEFAULT_DEFINITION} actorId={REP_A.id} t={createTranslator(lang)} lang={lang} />);
    await userEvent.setup().click(screen.getByText(summary, { exact: false }));
    const item = screen.getByRole('list').querySelector('[data-event-type="reviewed"]') as HTMLElement;
    expect(item).toHaveTextContent(line);
    expect(item).toHaveTextContent(MARKETER.name);
    expect(within(item).getByText('電話番号を確認して再送')).toBeInTheDocument();
  });
});
