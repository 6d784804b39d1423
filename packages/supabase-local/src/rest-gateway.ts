import fastifyHttpProxy from '@fastify/http-proxy';
import Fastify, { type FastifyInstance } from 'fastify';

export interface RestGatewayOptions {
  postgrestUrl: string;
  port: number;
  /** The keys the gateway accepts in `apikey`, as Supabase's API gateway does. */
  apiKeys: string[];
}

/**
 * Supabase serves PostgREST under `/rest/v1` behind a gateway that insists on an `apikey` header and
 * forwards it as the bearer token when the request carries none. This reproduces that much.
 */
export async function startRestGateway(options: RestGatewayOptions): Promise<FastifyInstance> {
  // Stopping the stack means stopping: close() cuts every connection, even one with a request still
  // in flight, instead of waiting for clients (a test's app, a benchmark) that keep theirs busy.
  const gateway = Fastify({ logger: false, forceCloseConnections: true });
  const accepted = new Set(options.apiKeys);
  // The proxy streams every body through, except those Fastify parses itself: text/plain would meet
  // Fastify's 1 MiB limit, which Supabase's gateway does not have (the API's batches go as text/plain).
  gateway.removeContentTypeParser('text/plain');

  await gateway.register(fastifyHttpProxy, {
    upstream: options.postgrestUrl,
    prefix: '/rest/v1',
    rewritePrefix: '',
    preHandler: async (request, reply) => {
      const apiKey = request.headers.apikey;
      if (typeof apiKey !== 'string' || apiKey === '') {
        return reply.code(401).send({ message: 'No API key found in request' });
      }
      if (!accepted.has(apiKey)) {
        return reply.code(401).send({ message: 'Invalid API key' });
      }
    },
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => ({
        ...headers,
        authorization: headers.authorization ?? `Bearer ${request.headers.apikey}`,
      }),
    },
  });

  await gateway.listen({ host: '127.0.0.1', port: options.port });
  return gateway;
}
