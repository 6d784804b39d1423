/**
 * Serializer compiler for read routes whose answers the handlers build from typed mappers: plain
 * JSON.stringify in place of fastify-type-provider-zod's, which re-validates the whole answer (every
 * transcript message and jsonb value) with zod before stringifying it. The route's response schemas
 * stay declared for the OpenAPI document; the integration tests check answers against them.
 */
export const trustedResponseSerializer = () => (data: unknown) => JSON.stringify(data);
