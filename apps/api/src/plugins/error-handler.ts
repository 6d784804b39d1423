import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorResponse } from '@callbridge/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpError } from '../lib/http-errors.ts';

export function errorBody(
  request: Pick<FastifyRequest, 'id'>,
  statusCode: number,
  message: string,
): ErrorResponse {
  return {
    success: false,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(statusCode >= 500 ? { requestId: request.id } : {}),
  };
}

/** Fastify's router refusals (a bad percent-escape, an over-long path parameter), in the one shape. */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const message =
    statusCode === 414
      ? 'A path parameter is longer than this API accepts'
      : 'The URL is malformed (a percent-escape is not valid)';
  return reply.code(statusCode).send(errorBody(request, statusCode, message));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers too large, garbage), answered
 * on the raw socket in the one shape.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [statusCode, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request headers are larger than this server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify({ success: false, error: STATUS_CODES[statusCode], message });
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function validationMessage(error: FastifyError): string {
  const issues = error.validation ?? [];
  const where = error.validationContext ?? 'request';
  const details = issues.map((issue) => {
    const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return field ? `${field}: ${issue.message}` : (issue.message ?? 'invalid');
  });
  return `Invalid ${where}: ${details.join('; ')}`;
}

function handleError(
  this: FastifyInstance,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return reply.code(400).send(errorBody(request, 400, validationMessage(error)));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.code(500).send(errorBody(request, 500, 'Internal error'));
  }
  const statusCode = error.statusCode ?? 500;
  if (error instanceof HttpError) {
    if (statusCode >= 500) request.log.error({ err: error }, error.message);
    return reply.code(statusCode).send(errorBody(request, statusCode, error.message));
  }
  if (statusCode >= 400 && statusCode < 500) {
    // Fastify's own client errors (bad JSON, body too large, media type) carry safe messages.
    return reply.code(statusCode).send(errorBody(request, statusCode, error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(errorBody(request, 500, 'Internal error'));
}

/** Shapes every error, and unknown routes, as `{ success: false, error, message }`. */
export const errorHandlerPlugin = fp(
  async (app) => {
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) =>
      reply
        .code(404)
        .send(errorBody(request, 404, `Route ${request.method} ${request.url.split('?')[0]} not found`)),
    );
  },
  { name: 'error-handler' },
);
