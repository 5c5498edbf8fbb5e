export * from './types';
export { ADAPTERS, adapterFor } from './registry';
export { salesforceLightning } from './salesforce-lightning';
export { salesforceClassic } from './salesforce-classic';
