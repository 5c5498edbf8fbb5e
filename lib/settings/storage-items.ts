import { storage } from 'wxt/utils/storage';
import { DATA_CHANGED_KEY } from '../messaging/protocol';
import type { CustomCrms } from './custom-crms';

// The extension's chrome.storage items, each declared once with its area, type, fallback and
// version (WXT's `storage.defineItem`; a later version adds `migrations` from each earlier one,
// with a test from a fixture of that shape). Content scripts import none of them: they read no
// storage (configured CRMs reach them through the background, `page.customCrm`).

/**
 * The team's configured CRMs (lib/settings/custom-crms.ts), in storage.local, which the
 * background closes to content scripts at start (lib/background/custom-crms.ts). Version 1: the
 * `{ version: 1, crms }` record. What is read back is parsed (`parseCustomCrms`) before use: it
 * may have been written by an older version, or by a content script before the area was closed.
 */
export const customCrmsStorage = storage.defineItem<CustomCrms | null>('local:customCrms', { fallback: null, version: 1 });

/**
 * The instant (ms since epoch) events, the team's settings or the UI language last changed, in
 * storage.session: open panels refetch when it moves (see DATA_CHANGED_KEY).
 */
export const dataChangedStorage = storage.defineItem<number>(`session:${DATA_CHANGED_KEY}`, { fallback: 0, version: 1 });
