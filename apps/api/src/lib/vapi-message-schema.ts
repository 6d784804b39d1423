import { z } from 'zod';

// Tolerant readers for the parts of VAPI server messages Callbridge stores (see
// shared/notes/vapi-server-messages.md). A field of an unexpected type reads as absent instead of
// making the whole message unusable: VAPI's schema grows, and older deployments send older shapes.
const text = z.string().min(1).optional().catch(undefined);
const num = z.number().finite().optional().catch(undefined);
// Checked, not rebuilt: z.record and z.array would copy a report's conversation element by element
// (a twentieth of the API's CPU per 20 KB report) only to hand back the same values. Passing the
// parsed payload's own object or array also lets fields-in-payload.ts match it by identity.
const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const jsonObject = z.custom<Record<string, unknown>>(isJsonObject).optional().catch(undefined);
const list = z
  .custom<unknown[]>((value) => Array.isArray(value))
  .optional()
  .catch(undefined);
const withNumber = z.looseObject({ number: text }).optional().catch(undefined);
/** CreateCustomerDto: who the call is with. */
const customerSchema = z
  .looseObject({ number: text, name: text, email: text, externalId: text })
  .optional()
  .catch(undefined);
/** Compliance: RecordingConsent is kept only when it names its type, as the SDK requires. */
const complianceSchema = z
  .looseObject({
    recordingConsent: z
      .looseObject({ type: z.string().min(1), grantedAt: text })
      .optional()
      .catch(undefined),
  })
  .optional()
  .catch(undefined);
/** Epoch ms as a number (SDK ≥ 0.8.1) or an ISO string (older SDKs). */
const timestamp = z
  .union([z.number().finite(), z.string().min(1)])
  .optional()
  .catch(undefined);

const assistantOverridesSchema = z
  .looseObject({ metadata: jsonObject, variableValues: jsonObject })
  .optional()
  .catch(undefined);

const callSchema = z.looseObject({
  id: z.string().min(1),
  type: text,
  status: text,
  startedAt: text,
  endedAt: text,
  endedReason: text,
  assistantId: text,
  phoneNumberId: text,
  campaignId: text,
  squadId: text,
  workflowId: text,
  cost: num,
  costs: list,
  costBreakdown: jsonObject,
  customer: customerSchema,
  phoneNumber: withNumber,
  assistantOverrides: assistantOverridesSchema,
  compliance: complianceSchema,
});

const artifactSchema = z
  .looseObject({
    transcript: text,
    messages: list,
    recordingUrl: text,
    stereoRecordingUrl: text,
    variableValues: jsonObject,
    structuredOutputs: jsonObject,
    scorecards: jsonObject,
    transfers: list,
    performanceMetrics: jsonObject,
    recording: z
      .looseObject({
        stereoUrl: text,
        mono: z.looseObject({ combinedUrl: text }).optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
  })
  .optional()
  .catch(undefined);

const analysisSchema = z
  .looseObject({
    summary: text,
    structuredData: jsonObject,
    // Typed as a string by the SDK; rubrics such as PassFail arrive as booleans in practice.
    successEvaluation: z
      .union([z.string(), z.number(), z.boolean()])
      .transform(String)
      .optional()
      .catch(undefined),
  })
  .optional()
  .catch(undefined);

export const vapiMessageSchema = z.looseObject({
  type: z.string().min(1),
  timestamp,
  call: callSchema.optional().catch(undefined),
  status: text,
  endedReason: text,
  startedAt: text,
  endedAt: text,
  customer: customerSchema,
  phoneNumber: withNumber,
  compliance: complianceSchema,
  assistant: z.looseObject({ id: text }).optional().catch(undefined),
  artifact: artifactSchema,
  analysis: analysisSchema,
  cost: num,
  costBreakdown: jsonObject,
  costs: list,
  // Legacy top-level copies that real deployments still send.
  transcript: text,
  messages: list,
  recordingUrl: text,
  stereoRecordingUrl: text,
  summary: text,
  durationSeconds: num,
  durationMs: num,
  toolCallList: z
    .array(
      z.looseObject({ id: z.string(), function: z.looseObject({ name: text }).optional().catch(undefined) }),
    )
    .optional()
    .catch(undefined),
  toolWithToolCallList: z
    .array(
      z.looseObject({
        name: text,
        toolCall: z
          .looseObject({
            id: z.string(),
            function: z.looseObject({ name: text }).optional().catch(undefined),
          })
          .optional()
          .catch(undefined),
      }),
    )
    .optional()
    .catch(undefined),
});

export const vapiEnvelopeSchema = z.looseObject({ message: vapiMessageSchema });

export type VapiMessage = z.output<typeof vapiMessageSchema>;
