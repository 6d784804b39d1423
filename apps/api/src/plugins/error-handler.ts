import { STATUS_CODES } from 'node:http';
import type { ErrorResponse } from '@callbridge/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpError } from '../lib/http-errors.ts';

export function errorBody(request: FastifyRequest, statusCode: number, message: string): ErrorResponse {
  return {
    success: false,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(statusCode >= 500 ? { requestId: request.id } : {}),
  };
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
