export * from './salesforce-id';
export * from './lead-key';
export * from './events';
