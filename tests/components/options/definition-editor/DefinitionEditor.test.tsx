import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DefinitionEditor, type DefinitionEditorProps } from '../../../../components/options/definition-editor/DefinitionEditor';
import type { DefinitionSnapshot, SaveResult } from '../../../../components/options/definition-editor/definition-source';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../../../lib/domain/definition';
import { createTranslator, type Lang } from '../../../../lib/i18n';
import { formatDateTime } from '../../../../lib/format/time';
import { SettingsConflictError } from '../../../../lib/sync/settings-client';

// Tuesday 2026-12-01 10:00 in Tokyo: inside working hours, so a business-time deadline moves
const NOW = new Date('2026-12-01T01:00:00Z');

const snapshot = (definition: SalDefinition = DEFAULT_DEFINITION, revision = 0): DefinitionSnapshot => ({
  definition,
  revision,
  managed: revision > 0,
  updatedAt: revision > 0 ? '2026-11-30T00:00:00Z' : null,
  updatedBy: revision > 0 ? 'admin' : null,
  versions: revision > 0 ? [definition.version] : [],
});

/**
 * The editor as the options page holds it: the snapshot in force is state the save and the reload
 * replace (as the card's query does), the save and reload themselves are the test's fakes.
 */
function setup(o: Partial<Omit<DefinitionEditorProps, 'onReload'>> & { lang?: Lang; onReload?: () => Promise<DefinitionSnapshot> } = {}) {
  const lang = o.lang ?? 'ja';
  const onSave = vi.fn(
    o.onSave ??
      (async (definition: SalDefinition, base: DefinitionSnapshot): Promise<SaveResult> => ({
        snapshot: snapshot({ ...definition, version: base.definition.version + 1 }, (base.revision ?? 0) + 1),
        previous: base.definition,
        reactivated: false,
      })),
  );
  const onReload = vi.fn(o.onReload ?? (async () => snapshot()));
  let refetched: (s: DefinitionSnapshot) => void = () => undefined;
  function Harness() {
    const [current, setCurrent] = useState(o.snapshot ?? snapshot());
    refetched = setCurrent;
    return (
      <DefinitionEditor
        t={createTranslator(lang)}
        lang={lang}
        snapshot={current}
        mode="server"
        canEdit={o.canEdit ?? true}
        customTargets={[]}
        now={() => NOW}
        onSave={async (d, base) => {
          const result = await onSave(d, base);
          setCurrent(result.snapshot);
          return result;
        }}
        onReload={async () => {
          const latest = await onReload();
          setCurrent(latest);
          return latest;
        }}
      />
    );
  }
  render(<Harness />);
  // no pause between keystrokes: the machine running the suite may be loaded
  // `refetched`: the page's query brings a newer snapshot (e.g. when the window regains focus)
  return { onSave, onReload, refetched: (s: DefinitionSnapshot) => act(() => refetched(s)), user: userEvent.setup({ delay: null }) };
}

describe('definition editor (admin)', () => {
  it('ja: shortens the acceptance SLA to one calendar hour, shows the change and its effect, and saves a new version', async () => {
    const { user, onSave } = setup();
    const hours = screen.getByLabelText('受領期限: 長さ (時間)');
    expect(hours).toHaveValue(8);
    await user.clear(hours);
    await user.type(hours, '1');
    await user.selectOptions(screen.getByLabelText('受領期限: 数え方'), '暦時間 (24 時間)');
    // the warning (2 h) now starts before the deadline's start: named at its field
    const warn = screen.getByLabelText('受領期限: 残りこの時間で警告 (時間)');
    expect(warn).toHaveAttribute('aria-invalid', 'true');
    expect(warn).toHaveAccessibleDescription('警告は期限の長さより短くしてください。');
    await user.clear(warn);
    await user.type(warn, '0.25');
    expect(warn).not.toHaveAttribute('aria-invalid');

    const changes = screen.getByRole('heading', { name: '変更点 (現在の v1 との違い)' }).nextElementSibling as HTMLElement;
    expect(
      within(changes)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['受領期限: 長さ (時間): 8 営業時間 → 1 時間 (暦時間)', '受領期限: 数え方: 営業時間 → 暦時間 (24 時間)', '受領期限: 残りこの時間で警告 (時間): 2 営業時間 → 0.25 時間 (暦時間)']);
    const preview = screen.getByTestId('definition-preview');
    // 1 calendar hour after 10:00; the version in force gives 8 business hours (Tue 18:00)
    expect(preview).toHaveTextContent(`今引き渡されたリードの受領期限: ${formatDateTime(new Date('2026-12-01T02:00:00Z'), 'ja')}`);
    expect(preview).toHaveTextContent(`(現在の定義では ${formatDateTime(new Date('2026-12-01T09:00:00Z'), 'ja')})`);

    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(onSave).toHaveBeenCalledTimes(1);
    const [sent] = onSave.mock.calls[0]!;
    expect(sent.clocks.acceptance).toEqual({ minutes: 60, basis: 'calendar', warnBeforeMinutes: 15 });
    expect(sent.rejectReasons).toEqual(DEFAULT_DEFINITION.rejectReasons);
    const result = await screen.findByTestId('definition-saved');
    expect(result).toHaveTextContent('SAL 定義 v2 を作成しました。v1 からの変更:');
    expect(result).toHaveTextContent('受領期限: 長さ (時間): 8 営業時間 → 1 時間 (暦時間)');
    // the form now starts from the saved version: nothing left to change
    expect(screen.getByText('変更はまだありません。')).toBeInTheDocument();
  }, 30_000);

  it('en: adds a reject reason that needs a comment, by keyboard, and a write-back field; both listed as additions', async () => {
    const { user, onSave } = setup({ lang: 'en' });
    await user.click(screen.getByRole('button', { name: 'Add a reject reason' }));
    // the new row's first field has the focus
    expect(screen.getByLabelText('Reject reason 10: code')).toHaveFocus();
    await user.keyboard('student');
    await user.tab();
    await user.keyboard('学生');
    await user.tab();
    await user.keyboard('Student');
    await user.tab();
    expect(screen.getByLabelText('Reject reason 10: comment required')).toHaveFocus();
    await user.keyboard(' ');

    await user.click(screen.getByRole('button', { name: 'Add a field to write to Salesforce' }));
    expect(screen.getByLabelText('Write-back 1: decision')).toHaveFocus();
    await user.selectOptions(screen.getByLabelText('Write-back 1: decision'), 'rejected');
    await user.type(screen.getByLabelText('Write-back 1: field (API name)'), 'SAL_Reason__c');
    await user.selectOptions(screen.getByLabelText('Write-back 1: value written'), 'Reason label');
    await user.selectOptions(screen.getByLabelText('Write-back 1: reason label in'), 'English');

    const changes = screen.getByRole('heading', { name: 'Changes (against v1 in force)' }).nextElementSibling as HTMLElement;
    expect(
      within(changes)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Reject reason "Student (student)": added', 'Write-back (Salesforce, Rejected) SAL_Reason__c: added (Reason label (en))']);
    // Enter in a field submits the form
    await user.type(screen.getByLabelText('Write-back 1: field (API name)'), '{Enter}');
    expect(onSave).toHaveBeenCalledTimes(1);
    const [sent] = onSave.mock.calls[0]!;
    expect(sent.rejectReasons.at(-1)).toEqual({ code: 'student', label: { ja: '学生', en: 'Student' }, commentRequired: true });
    expect(sent.writeback).toEqual({ salesforce: { on: { rejected: { SAL_Reason__c: { from: 'reasonLabel', lang: 'en' } } } } });
    expect(await screen.findByTestId('definition-saved')).toHaveTextContent('SAL definition v2 is now in force. Changes from v1:');
  }, 30_000);

  it('says so when nothing changed, and saves nothing', async () => {
    const { user, onSave } = setup();
    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(screen.getByRole('status')).toHaveTextContent('変更はありません。');
    expect(onSave).not.toHaveBeenCalled();
  });
});

describe('definition editor: validation', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: names every problem in a summary linked to its field, and saves nothing`, async () => {
      const { user, onSave } = setup({ lang });
      const L =
        lang === 'ja'
          ? { code: '却下理由 1: コード', tz: 'タイムゾーン (IANA 名)', undo: '判断を取り消せる時間 (分)', start: '始業時刻 (HH:MM)', save: '新しい版にする' }
          : { code: 'Reject reason 1: code', tz: 'Time zone (IANA name)', undo: 'Undo window for a decision (minutes)', start: 'Start of day (HH:MM)', save: 'Make this the new version' };
      await user.clear(screen.getByLabelText(L.code));
      await user.clear(screen.getByLabelText(L.tz));
      await user.type(screen.getByLabelText(L.tz), 'Mars/Olympus');
      await user.clear(screen.getByLabelText(L.undo));
      await user.clear(screen.getByLabelText(L.start));
      await user.type(screen.getByLabelText(L.start), '9am');
      await user.click(screen.getByRole('button', { name: L.save }));

      expect(onSave).not.toHaveBeenCalled();
      const summary = screen.getByTestId('definition-problems');
      expect(summary).toHaveAttribute('role', 'alert');
      expect(summary).toHaveFocus();
      const items = within(summary)
        .getAllByRole('link')
        .map((a) => a.textContent);
      expect(items).toEqual(
        lang === 'ja'
          ? [
              `${L.code}: 英小文字で始まり、英小文字・数字・_ だけにしてください。`,
              `${L.undo}: 数値を入力してください。`,
              `${L.tz}: IANA のタイムゾーン名にしてください (例: Asia/Tokyo)。`,
              `${L.start}: HH:MM の形式にしてください (例: 09:00)。`,
            ]
          : [
              `${L.code}: start with a lowercase letter; use only lowercase letters, digits and _.`,
              `${L.undo}: enter a number.`,
              `${L.tz}: use an IANA time zone (e.g. Asia/Tokyo).`,
              `${L.start}: use HH:MM (e.g. 09:00).`,
            ],
      );
      for (const label of [L.code, L.tz, L.undo, L.start]) expect(screen.getByLabelText(label)).toHaveAttribute('aria-invalid', 'true');
      // a link takes the keyboard to the field
      await user.click(within(summary).getAllByRole('link')[2]!);
      expect(screen.getByLabelText(L.tz)).toHaveFocus();
    }, 30_000);
  }

  it('ja: names duplicates and a calendar without working time', async () => {
    const { user } = setup();
    await user.clear(screen.getByLabelText('却下理由 2: コード'));
    await user.type(screen.getByLabelText('却下理由 2: コード'), 'already_handled');
    await user.click(screen.getByRole('button', { name: '休憩を追加' }));
    expect(screen.getByLabelText('休憩 1: 開始 (HH:MM)')).toHaveFocus();
    await user.clear(screen.getByLabelText('休憩 1: 開始 (HH:MM)'));
    await user.type(screen.getByLabelText('休憩 1: 開始 (HH:MM)'), '09:00');
    await user.clear(screen.getByLabelText('休憩 1: 終了 (HH:MM)'));
    await user.type(screen.getByLabelText('休憩 1: 終了 (HH:MM)'), '18:00');
    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(
      within(screen.getByTestId('definition-problems'))
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['却下理由 2: コード: ほかと重複しています。', '勤務時間: 休憩を除くと勤務時間が残りません。']);
    expect(screen.getByText('入力内容を直すと、期限のプレビューを表示します。')).toBeInTheDocument();
  }, 30_000);
});

describe('definition editor: read-only member', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: shows the definition in force without any control to change it`, () => {
      const team: SalDefinition = { ...DEFAULT_DEFINITION, version: 4, handoffRules: { hubspot: { field: 'status', values: ['MQL'] } } };
      setup({ lang, canEdit: false, snapshot: snapshot(team, 6) });
      const card = screen.getByTestId('definition-editor');
      expect(within(card).queryAllByRole('textbox')).toHaveLength(0);
      expect(within(card).queryAllByRole('spinbutton')).toHaveLength(0);
      expect(within(card).queryAllByRole('checkbox')).toHaveLength(0);
      expect(within(card).queryByRole('button')).toBeNull();
      expect(within(card).getByRole('heading', { level: 2, name: lang === 'ja' ? 'SAL 定義 v4' : 'SAL definition v4' })).toBeInTheDocument();
      const summary = screen.getByTestId('definition-summary');
      if (lang === 'ja') {
        expect(card).toHaveTextContent('チームの管理者だけが変更できます。');
        expect(summary).toHaveTextContent('その他 (other、コメント必須)');
        expect(summary).toHaveTextContent('受領期限: 8 営業時間');
        expect(summary).toHaveTextContent('Asia/Tokyo · 月曜日・火曜日・水曜日・木曜日・金曜日 09:00–18:00');
        expect(summary).toHaveTextContent('CRM には何も書き戻しません。');
      } else {
        expect(card).toHaveTextContent("Only the team's admins can change it.");
        expect(summary).toHaveTextContent('Other (other, comment required)');
        expect(summary).toHaveTextContent('Accept by: 8 business hours');
        expect(summary).toHaveTextContent('Nothing is written back to the CRM.');
      }
      expect(within(summary).getByText(/MQL/)).toBeInTheDocument();
    });
  }
});

describe('definition editor: conflict', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: someone saved first: says so, keeps the edits, loads the latest and saves over it`, async () => {
      let calls = 0;
      const other: SalDefinition = { ...DEFAULT_DEFINITION, version: 3, undoWindowMinutes: 5 };
      const view = setup({
        lang,
        snapshot: snapshot(DEFAULT_DEFINITION, 1),
        onSave: async (d, base) => {
          if (calls++ === 0) throw new SettingsConflictError(base.revision ?? 0);
          return { snapshot: snapshot({ ...d, version: 4 }, 3), previous: base.definition, reactivated: false };
        },
        onReload: async () => snapshot(other, 2),
      });
      const { onSave, onReload } = view;
      const { user } = view;
      const minScore = screen.getByLabelText(lang === 'ja' ? '最低スコア (空欄 = 条件なし)' : 'Minimum score (empty = none)');
      await user.clear(minScore);
      await user.type(minScore, '70');
      await user.click(screen.getByRole('button', { name: lang === 'ja' ? '新しい版にする' : 'Make this the new version' }));

      const alert = await screen.findByTestId('definition-conflict');
      expect(alert).toHaveAttribute('role', 'alert');
      expect(alert).toHaveTextContent(
        lang === 'ja' ? 'ほかの人が先にチームの定義を変更しました。あなたの編集内容はそのまま残っています。' : "Someone else changed the team's definition first. Your edits are kept",
      );
      expect(minScore).toHaveValue(70);

      await user.click(within(alert).getByRole('button', { name: lang === 'ja' ? '最新の版を読み込む (編集内容は残ります)' : 'Load the latest version (keeps your edits)' }));
      expect(onReload).toHaveBeenCalledTimes(1);
      expect(await screen.findByTestId('definition-reloaded')).toHaveTextContent(lang === 'ja' ? '最新の v3 を読み込みました。' : 'Loaded the latest v3.');
      expect(minScore).toHaveValue(70);
      // against the latest, the draft also undoes the other admin's undo window: shown before saving
      const changes = screen.getByRole('heading', { name: lang === 'ja' ? '変更点 (現在の v3 との違い)' : 'Changes (against v3 in force)' }).nextElementSibling as HTMLElement;
      expect(within(changes).getAllByRole('listitem')).toHaveLength(2);

      await user.click(screen.getByRole('button', { name: lang === 'ja' ? '新しい版にする' : 'Make this the new version' }));
      expect(onSave).toHaveBeenCalledTimes(2);
      expect(onSave.mock.calls[1]![1].revision).toBe(2);
      expect(await screen.findByTestId('definition-saved')).toHaveTextContent(lang === 'ja' ? 'SAL 定義 v4 を作成しました。v3 からの変更:' : 'v4 is now in force. Changes from v3:');
    }, 30_000);
  }

  it("a refetch while editing does not move the edits' base: the save still starts from the revision they were made on", async () => {
    const { user, onSave, refetched } = setup({ snapshot: snapshot(DEFAULT_DEFINITION, 1) });
    await user.click(screen.getByRole('checkbox', { name: '日本の祝日を休業日にする' }));
    refetched(snapshot({ ...DEFAULT_DEFINITION, version: 3, undoWindowMinutes: 5 }, 2));
    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(onSave.mock.calls[0]![1].revision).toBe(1);
  }, 30_000);

  it('a refused save (not an admin any more) is shown as an error with the edits kept', async () => {
    const { SyncError } = await import('../../../../lib/sync/errors');
    const { user } = setup({
      onSave: async () => {
        throw new SyncError('auth', 'HTTP 403', null, 403);
      },
    });
    await user.click(screen.getByRole('checkbox', { name: '日本の祝日を休業日にする' }));
    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('新しい版を作成できませんでした: チームの管理者だけが定義を変更できます。');
    expect(screen.getByRole('checkbox', { name: '日本の祝日を休業日にする' })).not.toBeChecked();
  }, 30_000);
});
