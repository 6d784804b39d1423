export * from './call-result.ts';
export * from './error-response.ts';
export * from './vapi-event.ts';
export * from './vapi-event-replay.ts';
export * from './vapi-stats.ts';
