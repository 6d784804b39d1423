import fp from 'fastify-plugin';
import { LOGGED_REFUSED_ID_CHARS } from '../lib/request-id.ts';

/** Says when a client's X-Request-Id was refused (lib/request-id.ts), and answers with the id in use. */
export const requestIdPlugin = fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      const theirs = request.headers['x-request-id'];
      if (theirs !== undefined && theirs !== request.id) {
        const text = String(theirs);
        request.log.info(
          { refusedRequestId: text.slice(0, LOGGED_REFUSED_ID_CHARS), refusedRequestIdLength: text.length },
          'client x-request-id refused: not [A-Za-z0-9._:-]{1,64}',
        );
      }
    });
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  },
  { name: 'request-id' },
);
