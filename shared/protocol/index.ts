export * from './frames';
export * from './errors';
export * from './limits';
export * from './codec';
export * from './channels';
export * from './groups';
export * from './groupRules';
