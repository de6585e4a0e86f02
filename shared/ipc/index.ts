export * from './contract';
export * from './names';
export * from './result';
export * from './dispatch';
export type * from './api';
export * from './hostWire';
export * from './channels';
export * from './groups';
