/**
 * Whether a call can have a row in the Kestra push outbox: the database only enqueues calls whose
 * metadata names kestraExecutionId (kestra_push_target in the outbox migration). Reads skip the
 * outbox lookup for every other call; a PostgREST embed of it costs several times the row read.
 */
export function mayHaveKestraPush(metadata: Record<string, unknown> | null): boolean {
  return metadata !== null && Object.hasOwn(metadata, 'kestraExecutionId');
}
