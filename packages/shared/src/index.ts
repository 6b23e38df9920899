export * from './visit-code.ts';
export * from './hit.ts';
