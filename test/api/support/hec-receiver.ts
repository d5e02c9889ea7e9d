import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Splunk HEC's raw endpoint, speaking its protocol: `Authorization:
 * Splunk <token>`, POST /services/collector/raw, one event per line, `{"text":"Success","code":0}`;
 * the documented errors for a missing or wrong token (2, 4) and an empty body (5, "No data").
 */
export interface HecReceiver {
  url: string;
  /** Every event received, in order, with the query string of its request. */
  events: Array<{ line: string; query: URLSearchParams }>;
  requests: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startHecReceiver(token: string): Promise<HecReceiver> {
  const events: HecReceiver['events'] = [];
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://hec');
    void readBody(req).then((body) => {
      if (req.method !== 'POST' || url.pathname !== '/services/collector/raw') return reply(404, { text: 'The requested URL was not found on this server.', code: 404 });
      const auth = req.headers.authorization;
      if (!auth) return reply(401, { text: 'Token is required', code: 2 });
      if (auth !== `Splunk ${token}`) return reply(403, { text: 'Invalid token', code: 4 });
      const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
      if (lines.length === 0) return reply(400, { text: 'No data', code: 5 });
      for (const line of lines) events.push({ line, query: url.searchParams });
      return reply(200, { text: 'Success', code: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
