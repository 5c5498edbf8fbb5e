import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { PanelView, type PanelViewProps } from '../../../components/panel/PanelView';
import type { RecordedDecision } from '../../../components/panel/announcements';
import type { EventDraft } from '../../../lib/messaging/protocol';
import { QueueView } from '../../../components/popup/QueueView';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { foldLead } from '../../../lib/domain/lifecycle';
import { computeClocks } from '../../../lib/domain/sla-clocks';
import { buildQueue } from '../../../lib/domain/sla-queue';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, contacted, handedOver, jst, rejected, won, MARKETER, REP_A, REP_B } from '../../unit/domain/builders';

// Testing Library's events are synthetic; the browser-only gesture check is replaced by "yes" here
// (tests/e2e/keyboard.test.ts presses the real keys).
vi.mock('../../../components/panel/gesture', () => ({ isUserGesture: () => true }));

process.env.TZ = 'Asia/Tokyo';
const NOW = jst('2026-11-24T10:00');

const read: NonNullable<PanelViewProps['read']> = {
  crm: 'salesforce',
  recordId: '00Q5g00000AbCdEEAV',
  status: 'complete',
  lead: { name: '山田 太郎', company: '株式会社サクラテック', title: '営業部長', email: 'taro@sakuratech.co.jp', phone: '03-1234-5678', score: 82 },
  missing: [],
};
const handoff = (at = '2026-11-24T09:00') => handedOver({ at: jst(at), actor: MARKETER });
const ACCEPT: EventDraft = { type: 'accepted', payload: { checklist: {} } };

function props(events: LeadEvent[], o: { lang?: Lang; now?: Date; saving?: boolean; recorded?: RecordedDecision; error?: PanelViewProps['error'] } = {}): PanelViewProps {
  const now = o.now ?? NOW;
  const state = events.length ? foldLead(events, { undoWindowMinutes: DEFAULT_DEFINITION.undoWindowMinutes }) : null;
  const lang = o.lang ?? 'ja';
  return {
    t: createTranslator(lang),
    lang,
    read,
    state,
    clocks: state ? computeClocks(state, DEFAULT_DEFINITION, now) : [],
    definition: DEFAULT_DEFINITION,
    actorId: REP_A.id,
    now,
    saving: o.saving ?? false,
    recorded: o.recorded ?? null,
    error: o.error ?? null,
    onDecide: vi.fn(),
    focusShortcut: 'Alt+Shift+K',
  };
}

/** axe-core's WCAG 2.1 A/AA rules; colour contrast needs a layout engine (measured in tests/e2e/keyboard.test.ts). */
async function violations(container: Element) {
  const result = await axe.run(container, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const announcer = () => screen.getByRole('status');

describe.each(['ja', 'en'] as const)('axe on every panel state (%s)', (lang) => {
  const states: Array<[string, LeadEvent[]]> = [
    ['untracked', []],
    ['pending', [handoff()]],
    ['accepted', [handoff(), accepted({ at: jst('2026-11-24T09:30'), actor: REP_A })]],
    ['rejected', [handoff(), rejected({ at: jst('2026-11-24T09:30'), actor: REP_A }, { reasonCode: 'competitor' })]],
    ['contested', [handoff(), accepted({ at: jst('2026-11-24T09:20'), actor: REP_B }), rejected({ at: jst('2026-11-24T09:30'), actor: REP_A })]],
    ['won', [handoff(), accepted({ at: jst('2026-11-24T09:20'), actor: REP_A }), contacted({ at: jst('2026-11-24T09:25'), actor: REP_A }), won({ at: jst('2026-11-24T09:30'), actor: REP_A })]],
  ];
  it.each(states)('%s: no violation', async (_, events) => {
    const { container } = render(<PanelView {...props(events, { lang })} />);
    expect(await violations(container)).toEqual([]);
  });

  it('the reject form, refused for a missing comment, and a refused decision: no violation', async () => {
    const user = userEvent.setup();
    const { container, rerender } = render(<PanelView {...props([handoff()], { lang })} />);
    await user.click(screen.getByRole('button', { name: lang === 'ja' ? '却下' : 'Reject' }));
    await user.selectOptions(screen.getByRole('combobox'), lang === 'ja' ? 'その他' : 'Other');
    await user.click(screen.getByRole('button', { name: lang === 'ja' ? '却下する' : 'Reject lead' }));
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(await violations(container)).toEqual([]);
    rerender(<PanelView {...props([handoff()], { lang, error: { code: 'storage_full' } })} />);
    expect(await violations(container)).toEqual([]);
  });

  it('the popup queue: each button is named by the lead and its visible status; no violation', async () => {
    const events = [
      handedOver({ at: jst('2026-11-24T09:00'), lead: { name: '山田 太郎', company: '株式会社サクラテック', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view' } }),
    ];
    const items = buildQueue(new Map([[events[0]!.leadKey, events]]), DEFAULT_DEFINITION, { id: REP_A.id }, NOW);
    const { container } = render(<QueueView items={items} t={createTranslator(lang)} lang={lang} onOpen={() => undefined} />);
    const pill = lang === 'ja' ? '受領待ち' : 'Waiting for acceptance';
    expect(screen.getByRole('button')).toHaveAccessibleName(`山田 太郎 · 株式会社サクラテック ${pill}`);
    expect(await violations(container)).toEqual([]);
  });
});

describe('focus never drops to <body>', () => {
  it('受領 comes before the optional fields; after it is recorded focus is on the new status, which is announced once', async () => {
    const user = userEvent.setup();
    const p = props([handoff()]);
    const { rerender } = render(<PanelView {...p} />);
    await user.tab();
    expect(screen.getByRole('button', { name: '受領' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(p.onDecide).toHaveBeenCalledWith(ACCEPT);
    rerender(<PanelView {...p} saving />);
    const recorded = [handoff(), accepted({ at: NOW, actor: REP_A })];
    rerender(<PanelView {...props(recorded, { recorded: { seq: 1, draft: ACCEPT } })} onDecide={p.onDecide} />);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('受領済 (SAL)');
    expect(screen.getByTestId('lead-status')).toHaveFocus();
    expect(announcer()).toHaveTextContent('受領しました');
    // the next tick (countdowns re-render every second) says nothing new
    rerender(<PanelView {...props(recorded, { now: new Date(NOW.getTime() + 1000), recorded: { seq: 1, draft: ACCEPT } })} onDecide={p.onDecide} />);
    expect(announcer()).toHaveTextContent('受領しました');
    expect(document.body).not.toHaveFocus();
  });

  it('en: opening the reject form focuses its reason; Escape or Cancel closes it back onto Reject; the rejection is announced with its reason', async () => {
    const user = userEvent.setup();
    const p = props([handoff()], { lang: 'en' });
    const { rerender } = render(<PanelView {...p} />);
    await user.tab();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Reject' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByLabelText('Reject reason')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(await screen.findByRole('button', { name: 'Reject' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('button', { name: 'Reject' })).toHaveFocus();

    await user.keyboard('{Enter}');
    await user.selectOptions(screen.getByLabelText('Reject reason'), 'Other');
    await user.click(screen.getByRole('button', { name: 'Reject lead' }));
    // refused: focus goes to the comment that needs filling, described by the message
    const comment = screen.getByLabelText('Comment *');
    expect(comment).toHaveFocus();
    expect(comment).toHaveAccessibleDescription('This reason needs a comment.');
    await user.type(comment, 'Met at a booth only');
    await user.keyboard('{Tab}{Enter}');
    expect(p.onDecide).toHaveBeenCalledWith({ type: 'rejected', payload: { reasonCode: 'other', comment: 'Met at a booth only' } });
    rerender(<PanelView {...p} saving />);
    rerender(
      <PanelView
        {...props([handoff(), rejected({ at: NOW, actor: REP_A }, { reasonCode: 'other', comment: 'Met at a booth only' })], {
          lang: 'en',
          recorded: { seq: 1, draft: { type: 'rejected', payload: { reasonCode: 'other', comment: 'Met at a booth only' } } },
        })}
      />,
    );
    expect(screen.getByTestId('lead-status')).toHaveFocus();
    expect(announcer()).toHaveTextContent('Rejected: Other');
  });

  it('a refused decision is announced with its reason and focus rests on the message', async () => {
    const user = userEvent.setup();
    const p = props([handoff()]);
    const { rerender } = render(<PanelView {...p} />);
    await user.tab();
    await user.keyboard('{Enter}');
    rerender(<PanelView {...p} saving />);
    // a disabled control loses focus in browsers; jsdom keeps it, so take it away as Chromium does
    (document.activeElement as HTMLElement).blur();
    rerender(<PanelView {...p} error={{ code: 'storage_full' }} />);
    expect(announcer()).toHaveTextContent('ブラウザの保存領域がいっぱい');
    expect(document.body).not.toHaveFocus();
  });

  it('accepted lead: a follow-up form opens on its first field and closing it returns to its button', async () => {
    const user = userEvent.setup();
    render(<PanelView {...props([handoff(), accepted({ at: jst('2026-11-24T09:30'), actor: REP_A }), contacted({ at: jst('2026-11-24T09:40'), actor: REP_A })])} />);
    const button = screen.getByRole('button', { name: '状況を更新' });
    await user.click(button);
    expect(screen.getByLabelText('状況メモ')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('状況メモ')).toBeNull();
    await vi.waitFor(() => expect(button).toHaveFocus());
  });
});

describe('announcements of the SLA clocks', () => {
  it('a clock entering warning, then breach, is announced once each; the ticking countdown is a silent timer', () => {
    const events = [handoff()];
    const p = (now: string) => props(events, { now: jst(now) });
    const { rerender } = render(<PanelView {...p('2026-11-24T10:00')} />);
    expect(announcer()).toBeEmptyDOMElement();
    // the acceptance SLA (8 business hours from 09:00) warns before 17:00 and breaches at 17:00
    rerender(<PanelView {...p('2026-11-24T16:30')} />);
    expect(announcer()).toHaveTextContent('受領期限: まもなく期限です');
    rerender(<PanelView {...p('2026-11-24T16:31')} />);
    expect(announcer()).toHaveTextContent('受領期限: まもなく期限です');
    rerender(<PanelView {...p('2026-11-24T17:01')} />);
    expect(announcer()).toHaveTextContent('受領期限: 期限を過ぎています');
    const timer = within(document.querySelector('[data-clock="acceptance"]')!).getByRole('timer');
    expect(timer).not.toHaveAttribute('aria-live');
  });
});

describe('keyboard help', () => {
  it('lists the shortcut the rep has, Tab order and Escape, in both languages', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<PanelView {...props([handoff()])} />);
    await user.click(screen.getByText('キーボード操作'));
    expect(screen.getByText('Alt+Shift+K')).toBeVisible();
    expect(screen.getByText(/CRM のページからこのパネル/)).toBeVisible();
    rerender(<PanelView {...props([handoff()], { lang: 'en' })} focusShortcut="" />);
    expect(screen.getByText('Keyboard')).toBeInTheDocument();
    expect(screen.getByText('not set')).toBeInTheDocument();
  });
});
