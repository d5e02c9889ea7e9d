import { describe, expect, it } from 'vitest';
import { openphishParser } from '../../../src/ingest/parsers/openphish.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

describe('OpenPhish parser', () => {
  it.runIf(hasSharedData)('one phishing URL a line from the real feed', async () => {
    const { indicators } = await collect(openphishParser, sharedStream('openphish', 'feed.txt'));
    expect(indicators[0]).toEqual({ kind: 'indicator', line: 1, value: 'https://api.msuto.com/', type: 'url', threat_type: 'phishing' });
  });

  it('keeps line numbers across blank lines and chunk boundaries', async () => {
    const got = await collect(openphishParser, textStream('http://a.example/1\r\n\r\nhttp://b.example/2\n', 3));
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([
      [1, 'http://a.example/1'],
      [3, 'http://b.example/2'],
    ]);
  });
});
