import fp from 'fastify-plugin';
import helmet from 'helmet';

export interface SecurityHeadersOptions {
  /** HSTS_MAX_AGE_SECONDS: sent on requests that arrived over TLS only; 0 sends none. */
  hstsMaxAgeSeconds: number;
}

/**
 * The policy the dashboard (/dashboard, a Vite build: bundled scripts and styles from 'self', React
 * style attributes set through the DOM) and Swagger UI (/docs: its own scripts and stylesheets, SVG
 * icons as data: URIs) both run under. Recordings play from VAPI's storage, so media may come from
 * any https: origin — never http:, see the dashboard's recording player. Nothing may frame either.
 * `upgrade-insecure-requests` is left out: on a plain-http local run it would rewrite the page's own
 * requests to https and break them; behind TLS every URL the pages use is already same-origin.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'media-src': ["'self'", 'https:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'upgrade-insecure-requests': null,
};

/**
 * helmet's headers on every answer, with the policy above; HSTS only where it means something. helmet's
 * middleware is built once: @fastify/helmet built it again for every request (parsing the policy each
 * time), a twenty-fifth of the API's CPU per webhook delivery.
 */
export const securityHeadersPlugin = fp<SecurityHeadersOptions>(
  async (app, options) => {
    const applyHeaders = helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // Set below: a browser ignores HSTS over plain http (RFC 6797 §8.1), and a local run must not pin it.
      strictTransportSecurity: false,
    });
    app.addHook('onRequest', (request, reply, done) => {
      applyHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    });
    if (options.hstsMaxAgeSeconds > 0) {
      const value = `max-age=${options.hstsMaxAgeSeconds}`;
      app.addHook('onRequest', async (request, reply) => {
        // request.protocol is https for a TLS socket, or per X-Forwarded-Proto from a trusted proxy.
        if (request.protocol === 'https') reply.header('strict-transport-security', value);
      });
    }
  },
  { name: 'security-headers' },
);
