export * from './salesforce-id';
export * from './lead-key';
export * from './events';
export * from './calendar';
export * from './definition';
export * from './lifecycle';
export * from './clocks';
export * from './badge';
