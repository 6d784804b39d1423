export * from './call-result.ts';
export * from './error-response.ts';
export * from './read-keys.ts';
export * from './vapi-event.ts';
export * from './vapi-event-replay.ts';
export * from './vapi-sources.ts';
export * from './vapi-stats.ts';
