// What other workspace packages' tests use to stand in for Kestra.
export {
  type HeldRequests,
  KESTRA_TEST_AUTH,
  type KestraStandIn,
  type RecordedResume,
  type StandInAuth,
  startKestraStandIn,
} from './kestra-stand-in.ts';
