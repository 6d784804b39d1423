export {
  type KestraAuth,
  type KestraMajorVersion,
  type ResumeExecutionRequest,
  type ResumeOutcome,
  resumeExecution,
  resumeUrl,
} from './resume-execution.ts';
