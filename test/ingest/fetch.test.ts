import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedBodyError, fetchFeed, openFeedFile, type FetchOutcome } from '../../src/ingest/fetch.js';

const BODY = '8.8.8.8\n198.51.100.7\n';
const ETAG = '"v1"';
const MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const seen: Array<Record<string, string | string[] | undefined>> = [];

function handler(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req.headers);
  switch (req.url) {
    case '/etag':
      if (req.headers['if-none-match'] === ETAG) {
        res.writeHead(304, { etag: ETAG });
        res.end();
        return;
      }
      res.writeHead(200, { etag: ETAG, 'last-modified': MODIFIED, 'content-type': 'text/plain' });
      res.end(BODY);
      return;
    case '/modified':
      if (req.headers['if-modified-since'] === MODIFIED) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'last-modified': MODIFIED });
      res.end(BODY);
      return;
    case '/500':
      res.writeHead(500);
      res.end('boom');
      return;
    case '/hang':
      return; // never answers
    case '/stall':
      res.writeHead(200);
      res.write('8.8.8.8\n'); // then nothing, connection kept open
      return;
    case '/announced-big':
      res.writeHead(200, { 'content-length': String(10_000) });
      res.end(Buffer.alloc(10_000));
      return;
    case '/streamed-big':
      res.writeHead(200);
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000, 0x41));
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

let server: Server;
let base = '';
let closedPort = 0;

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function text(outcome: FetchOutcome): Promise<string> {
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  let out = '';
  for await (const chunk of outcome.body) out += chunk.toString('utf8');
  return out;
}

describe('fetchFeed against a local server', () => {
  it('ETag flow: 200 with validators, then a conditional GET answered 304', async () => {
    const first = await fetchFeed({ url: `${base}/etag` });
    expect(first).toMatchObject({ status: 'ok', validators: { etag: ETAG, last_modified: MODIFIED } });
    expect(await text(first)).toBe(BODY);
    const validators = first.status === 'ok' ? first.validators : {};
    const second = await fetchFeed({ url: `${base}/etag`, validators });
    expect(second).toEqual({ status: 'not_modified', validators: { etag: ETAG, last_modified: MODIFIED } });
    expect(seen.at(-1)?.['if-none-match']).toBe(ETAG);
    expect(seen.at(-1)?.['if-modified-since']).toBe(MODIFIED);
  });

  it('Last-Modified flow without an ETag', async () => {
    const second = await fetchFeed({ url: `${base}/modified`, validators: { etag: null, last_modified: MODIFIED } });
    expect(second.status).toBe('not_modified');
    expect(seen.at(-1)?.['if-none-match']).toBeUndefined();
  });

  it('sends configured headers (e.g. an abuse.ch Auth-Key)', async () => {
    await text(await fetchFeed({ url: `${base}/etag`, headers: { 'Auth-Key': 'k123' } }));
    expect(seen.at(-1)?.['auth-key']).toBe('k123');
    expect(String(seen.at(-1)?.['user-agent'])).toMatch(/^soc-defenders\//);
  });

  it.each([
    ['/500', { code: 'http_error', httpStatus: 500 }],
    ['/missing', { code: 'http_error', httpStatus: 404 }],
  ])('%s is an http_error status', async (path, error) => {
    const outcome = await fetchFeed({ url: `${base}${path}` });
    expect(outcome).toMatchObject({ status: 'error', error });
  });

  it('a server that never answers is a timeout status', async () => {
    const start = Date.now();
    const outcome = await fetchFeed({ url: `${base}/hang`, timeoutMs: 300 });
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'timeout' } });
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('a body that stalls fails with a timeout FeedBodyError after the data already read', async () => {
    const outcome = await fetchFeed({ url: `${base}/stall`, timeoutMs: 300 });
    expect(outcome.status).toBe('ok');
    const chunks: string[] = [];
    const read = async (): Promise<void> => {
      if (outcome.status === 'ok') for await (const c of outcome.body) chunks.push(c.toString());
    };
    await expect(read()).rejects.toMatchObject({ name: 'FeedBodyError', code: 'timeout' });
    expect(chunks.join('')).toBe('8.8.8.8\n');
  });

  it('the size guard: an announced oversize body is refused, a streamed one stops', async () => {
    expect(await fetchFeed({ url: `${base}/announced-big`, maxBytes: 5000 })).toMatchObject({ status: 'error', error: { code: 'too_large' } });
    const streamed = await fetchFeed({ url: `${base}/streamed-big`, maxBytes: 5000 });
    await expect(text(streamed)).rejects.toBeInstanceOf(FeedBodyError);
    await expect(text(await fetchFeed({ url: `${base}/streamed-big`, maxBytes: 5000 }))).rejects.toMatchObject({ code: 'too_large' });
  });

  it.each([
    [() => `http://127.0.0.1:${closedPort}/feed.txt`, 'connection_refused'],
    [() => 'http://no-such-host.invalid/feed.txt', 'dns_failure'],
    [() => 'ftp://example.com/feed.txt', 'invalid_url'],
    [() => 'not a url', 'invalid_url'],
  ])('offline failures are statuses, never throws (%#)', async (url, code) => {
    const outcome = await fetchFeed({ url: url(), timeoutMs: 5000 });
    expect(outcome).toMatchObject({ status: 'error', error: { code } });
    if (outcome.status === 'error') expect(outcome.error.message.length).toBeGreaterThan(0);
  });
});

describe('openFeedFile (path feeds)', () => {
  it('streams the file, then reports not_modified while its mtime is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socd-fetch-'));
    try {
      const path = join(dir, 'list.txt');
      writeFileSync(path, BODY);
      const first = await openFeedFile(path);
      expect(await text(first)).toBe(BODY);
      const validators = first.status === 'ok' ? first.validators : {};
      expect(await openFeedFile(path, validators)).toMatchObject({ status: 'not_modified' });
      expect(await openFeedFile(join(dir, 'missing.txt'))).toMatchObject({ status: 'error', error: { code: 'not_found' } });
      expect(await openFeedFile(dir)).toMatchObject({ status: 'error', error: { code: 'unreadable' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
