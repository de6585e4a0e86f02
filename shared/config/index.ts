export * from './csp';
export * from './dataDir';
export * from './launchOptions';
export * from './staticFiles';
export * from './outboundEvents';
