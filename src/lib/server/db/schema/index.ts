export * from './auth';
export * from './blobs';
export * from './jobs';
export * from './subjects';
export * from './generation';
export * from './captions';
export * from './studies';
export * from './workers';
