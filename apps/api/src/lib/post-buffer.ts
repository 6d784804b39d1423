import http from 'node:http';
import https from 'node:https';

// Kept-alive connections, as fetch keeps them: a batch every few milliseconds reuses one.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export interface PostAnswer {
  status: number;
  text: string;
}

/**
 * POSTs a prepared body and reads the whole answer as text. node:http rather than fetch: fetch streams
 * a buffer body through a ReadableStream in chunks (about a tenth of the API's CPU per ingested report
 * for 640 KB batches), where this is one write.
 */
export function postBuffer(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  signal: AbortSignal,
): Promise<PostAnswer> {
  const client = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`cannot POST to a ${url.protocol} URL`));
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      { method: 'POST', agent, signal, headers: { ...headers, 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
