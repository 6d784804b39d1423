import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

/** Where the process is in its life: serving, or draining before it stops. */
export class Lifecycle {
  draining = false;

  /** From now on /ready answers 503 so load balancers stop sending, and responses close their sockets. */
  startDraining(): void {
    this.draining = true;
  }
}

export const lifecyclePlugin = fp(
  async (app) => {
    app.decorate('lifecycle', new Lifecycle());
    // A keep-alive socket left idle after its last response would hold the close up until it times out.
    app.addHook('onSend', async (_request, reply) => {
      if (app.lifecycle.draining) reply.header('connection', 'close');
    });
  },
  { name: 'lifecycle' },
);
