import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { SalDatabase } from '../../../../lib/db/schema';
import { activeDefinition } from '../../../../lib/db/reads';
import { recordLocalEvent } from '../../../../lib/db/events-repo';
import { DEFAULT_DEFINITION } from '../../../../lib/domain/definition';
import { createTranslator } from '../../../../lib/i18n';
import { DefinitionEditorCard } from '../../../../components/options/definition-editor/DefinitionEditorCard';
import { createLocalDefinitionSource } from '../../../../components/options/definition-editor/definition-source';
import { accepted } from '../../../unit/domain/builders';

let n = 0;
const freshDb = () => new SalDatabase(`definition-editor-${n++}`);

describe('local definition source', () => {
  it('saves above every version in use here, so a number is never reused, and leaves recorded events on their version', async () => {
    const db = freshDb();
    // a decision made under v3 (synced from a team before this browser went local)
    const old = accepted({ at: '2026-11-20T01:00:00Z', definitionVersion: 3 });
    await recordLocalEvent(db, old, Date.parse('2026-11-20T01:00:00Z'));
    const source = createLocalDefinitionSource(db);
    const base = await source.load();
    expect(base.definition).toEqual(DEFAULT_DEFINITION);
    const saved = await source.save({ ...DEFAULT_DEFINITION, undoWindowMinutes: 3 }, base);
    expect(saved.snapshot.definition).toMatchObject({ version: 4, undoWindowMinutes: 3 });
    expect(saved.previous.version).toBe(1);
    expect(await activeDefinition(db)).toMatchObject({ version: 4, undoWindowMinutes: 3 });
    expect((await db.events.get(old.id))?.event.definitionVersion).toBe(3);
    // the next save goes above it
    expect((await source.save({ ...DEFAULT_DEFINITION, undoWindowMinutes: 4 }, saved.snapshot)).snapshot.definition.version).toBe(5);
  });
});

describe('definition editor card (local mode)', () => {
  it("ja: loads this browser's definition, saves an edit as the next version in IndexedDB", async () => {
    const db = freshDb();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <DefinitionEditorCard db={db} t={createTranslator('ja')} lang="ja" backend={null} role={null} customTargets={[]} syncNow={() => undefined} />
      </QueryClientProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('SAL 定義を読み込んでいます…');
    const user = userEvent.setup({ delay: null });
    const undo = await screen.findByLabelText('判断を取り消せる時間 (分)');
    expect(screen.getByTestId('definition-source')).toHaveTextContent('このブラウザの定義 (ローカルモード)');
    await user.clear(undo);
    await user.type(undo, '5');
    await user.click(screen.getByRole('button', { name: '新しい版にする' }));
    expect(await screen.findByTestId('definition-saved')).toHaveTextContent('SAL 定義 v2 を作成しました。v1 からの変更:判断を取り消せる時間 (分): 10 分 → 5 分');
    expect(await activeDefinition(db)).toMatchObject({ version: 2, undoWindowMinutes: 5 });
    expect(screen.getByRole('heading', { level: 2, name: 'SAL 定義 v2' })).toBeInTheDocument();
  }, 30_000);
});
