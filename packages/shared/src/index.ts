export * from './visit-code.ts';
export * from './hit.ts';
export * from './links.ts';
export * from './traffic.ts';
export * from './templates.ts';
