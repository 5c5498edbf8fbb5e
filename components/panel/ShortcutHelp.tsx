import type { Translate } from '../../lib/i18n';
import { FOCUS_PANEL_KEYS } from '../../lib/messaging/commands';

/**
 * The panel's keyboard help: the browser shortcut that jumps here from the CRM page (as the rep
 * has it assigned; `focusShortcut` '' = unassigned), the tab order, Escape. Closed by default.
 */
export function ShortcutHelp({ t, focusShortcut }: { t: Translate; focusShortcut: string | undefined }) {
  const keys = focusShortcut === undefined ? FOCUS_PANEL_KEYS.default : focusShortcut;
  return (
    <details className="sal-shortcuts">
      <summary>{t('a11y.shortcuts')}</summary>
      <dl>
        <dt>{keys ? <kbd>{keys}</kbd> : t('a11y.shortcutUnassigned')}</dt>
        <dd>{t('a11y.shortcutFocusPanel')}</dd>
        <dt>
          <kbd>Tab</kbd>
        </dt>
        <dd>{t('a11y.shortcutTab')}</dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>{t('a11y.shortcutEscape')}</dd>
      </dl>
      <p>{t('a11y.shortcutChange')}</p>
    </details>
  );
}
