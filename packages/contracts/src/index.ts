export * from './call-list.ts';
export * from './call-result.ts';
export * from './error-response.ts';
export * from './simulate-call.ts';
export * from './vapi-event.ts';
export * from './vapi-event-replay.ts';
export * from './vapi-stats.ts';
