import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Vapi } from '@vapi-ai/server-sdk';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_VAPI_MESSAGE_TYPES,
  type KnownVapiMessageType,
  REQUEST_RESPONSE_TYPES,
} from '../../../src/lib/vapi-message-types.ts';

// What VAPI's published SDK says, read from the installed package rather than copied: a new SDK
// version that adds, drops or renames a type fails here (at runtime) and in tsc (the type-level checks).

const sdkTypes = join(dirname(createRequire(import.meta.url).resolve('@vapi-ai/server-sdk')), 'api', 'types');
/** The member names of a union type alias in the SDK's declarations, e.g. `ServerMessageHang`. */
const unionMembers = (alias: string): string[] => {
  const source = readFileSync(join(sdkTypes, `${alias}.d.ts`), 'utf8');
  const union = source.match(new RegExp(`export type ${alias} = ([^;]+);`))?.[1] ?? '';
  return [...union.matchAll(/Vapi\.(\w+)/g)].map((match) => match[1] as string);
};
/** The values of one of the SDK's runtime const objects, e.g. `Vapi.ServerMessageHangType`. */
const constValues = (name: string): string[] => {
  const value = (Vapi as unknown as Record<string, Record<string, string> | undefined>)[name];
  if (value === undefined) throw new Error(`@vapi-ai/server-sdk has no runtime ${name}`);
  return Object.values(value);
};

/** Exactly the same type (not merely assignable): a union that gains a member is no longer Equal. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The answer the SDK defines for each request-response type. A new member of the SDK's union fails tsc below. */
interface ResponseByMessageType {
  'assistant-request': Vapi.ServerMessageResponseAssistantRequest;
  'call.endpointing.request': Vapi.ServerMessageResponseCallEndpointingRequest;
  'campaign.predial': Vapi.ServerMessageResponseCampaignPredial;
  'handoff-destination-request': Vapi.ServerMessageResponseHandoffDestinationRequest;
  'knowledge-base-request': Vapi.ServerMessageResponseKnowledgeBaseRequest;
  'tool-calls': Vapi.ServerMessageResponseToolCalls;
  'transfer-destination-request': Vapi.ServerMessageResponseTransferDestinationRequest;
  'voice-request': Vapi.ServerMessageResponseVoiceRequest;
}
const everyResponseMapped: Equal<
  ResponseByMessageType[keyof ResponseByMessageType],
  Vapi.ServerMessageResponseMessageResponse
> = true;
const responseTypesListed: Equal<keyof ResponseByMessageType, (typeof REQUEST_RESPONSE_TYPES)[number]> = true;
const responseTypesAreMessageTypes: Equal<
  keyof ResponseByMessageType & NonNullable<Vapi.ServerMessageMessage['type']>,
  keyof ResponseByMessageType
> = true;
const knownTypesAreTheSdks: Equal<
  KnownVapiMessageType,
  | NonNullable<Vapi.ServerMessageMessage['type']>
  | Vapi.AssistantServerMessagesItem
  | Vapi.CampaignServerMessagesItem
> = true;

describe('the server message types of @vapi-ai/server-sdk', () => {
  const messageMembers = unionMembers('ServerMessageMessage');
  const responseMembers = unionMembers('ServerMessageResponseMessageResponse');

  it('reads the 29 members of the ServerMessage union and the 8 of its response union', () => {
    expect(messageMembers).toHaveLength(29);
    expect(messageMembers).toContain('ServerMessageEndOfCallReport');
    expect(responseMembers).toHaveLength(8);
    expect(
      everyResponseMapped && responseTypesListed && responseTypesAreMessageTypes && knownTypesAreTheSdks,
    ).toBe(true);
  });

  it('labels exactly the SDK message types and the subscribable ones as known', () => {
    const sdk = new Set([
      ...messageMembers.flatMap((member) => constValues(`${member}Type`)),
      ...constValues('AssistantServerMessagesItem'),
      ...constValues('CampaignServerMessagesItem'),
    ]);
    expect([...KNOWN_VAPI_MESSAGE_TYPES].sort()).toEqual([...sdk].sort());
  });

  it('lists as request-response exactly the message types the SDK defines an answer for', () => {
    // ServerMessageResponseToolCalls answers ServerMessageToolCalls, whose type const is ServerMessageToolCallsType.
    const sdk = responseMembers.flatMap((member) =>
      constValues(`${member.replace(/^ServerMessageResponse/, 'ServerMessage')}Type`),
    );
    expect([...REQUEST_RESPONSE_TYPES].sort()).toEqual(sdk.sort());
  });

  it('still finds the subscribable types every assistant and campaign variant of the SDK offers', () => {
    // AssistantOverrides, CreateAssistantDto… repeat AssistantServerMessagesItem; a variant that differs
    // would mean a type Callbridge does not know.
    const variants = Object.keys(Vapi).filter((name) => name.endsWith('ServerMessagesItem'));
    expect(variants.length).toBeGreaterThan(2);
    for (const variant of variants) {
      for (const type of constValues(variant)) expect(KNOWN_VAPI_MESSAGE_TYPES).toContain(type);
    }
  });
});
