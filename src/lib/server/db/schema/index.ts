export * from './auth';
export * from './blobs';
export * from './jobs';
export * from './subjects';
export * from './generation';
export * from './studies';
export * from './results';
