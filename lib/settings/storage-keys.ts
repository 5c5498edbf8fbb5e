/** browser.storage.local key of the configured CRMs (lib/settings/custom-crms.ts); here, free of zod, for the content script. */
export const CUSTOM_CRMS_STORAGE_KEY = 'customCrms';
