import type { MessageKey, Translate } from '../../lib/i18n';

/** Why a decision was not recorded: the background's refusal code, with detail where it has one. */
export interface DecisionFailure {
  code: string;
  detail?: string;
}

/** The refusals the background answers `panel.record` with that a rep can act on (lib/background/lead-service.ts, router.ts). */
const KNOWN = new Set(['lead_not_shown', 'storage_full', 'comment_required', 'unknown_reason', 'forbidden', 'forbidden_role', 'unreachable', 'invalid_event']);

/**
 * The failure of `panel.record` as the panel keeps it. A reply `{ ok: false }` carries a code;
 * a rejected `sendMessage` means the background could not be reached at all (the extension was
 * reloaded or updated under the open page), which the rep fixes by reloading the page.
 */
export function decisionFailure(reply: { error: string; issues?: string[] } | null, thrown?: unknown): DecisionFailure {
  if (reply) return withDetail(reply.error, reply.issues?.join('; '));
  return withDetail('unreachable', thrown instanceof Error ? thrown.message : String(thrown));
}

const withDetail = (code: string, detail: string | undefined): DecisionFailure => (detail ? { code, detail } : { code });

/** What the rep reads: a sentence saying what to do for known codes, the raw detail otherwise. */
export function decisionErrorText(t: Translate, failure: DecisionFailure): string {
  // the worker's parse of the request refused the draft (lib/background/router.ts): to the rep, an entry that is not valid
  if (failure.code === 'invalid_request') return t('decisionError.invalid_event', { detail: failure.detail ?? '' });
  if (failure.code === 'forbidden_role') return t('decisionError.forbidden_role', { detail: failure.detail ? t(`role.${failure.detail}` as MessageKey) : '' });
  if (KNOWN.has(failure.code)) return t(`decisionError.${failure.code}` as MessageKey, { detail: failure.detail ?? '' });
  return t('panel.saveFailed', { error: failure.detail ?? failure.code });
}
