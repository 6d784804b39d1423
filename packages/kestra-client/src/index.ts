export {
  type KestraAuth,
  type ResumeExecutionRequest,
  type ResumeOutcome,
  resumeExecution,
  resumeUrl,
} from './resume-execution.ts';
