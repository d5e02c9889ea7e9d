/** What each documented HEC answer means for the sender (push/hec-codes.ts), one table. */
import { describe, expect, it } from 'vitest';
import { classifyHecAck, classifyHecSend } from '../../src/push/hec-codes.js';

const body = (o: object): string => JSON.stringify(o);

describe('HEC answers to /services/collector/event', () => {
  it.each([
    [200, { text: 'Success', code: 0 }, { kind: 'delivered' }],
    [200, { text: 'Success', code: 0, ackId: 7 }, { kind: 'accepted', ackId: 7 }],
    [403, { text: 'Token disabled', code: 1 }, { kind: 'fatal', code: 'hec_token_disabled' }],
    [401, { text: 'Token is required', code: 2 }, { kind: 'fatal', code: 'hec_token_missing' }],
    [401, { text: 'Invalid authorization', code: 3 }, { kind: 'fatal', code: 'hec_bad_authorization' }],
    [403, { text: 'Invalid token', code: 4 }, { kind: 'fatal', code: 'hec_invalid_token' }],
    [400, { text: 'No data', code: 5 }, { kind: 'fatal', code: 'hec_no_data' }],
    [400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 3 }, { kind: 'rejected_item', index: 3 }],
    [400, { text: 'Incorrect index', code: 7, 'invalid-event-number': 0 }, { kind: 'fatal', code: 'hec_incorrect_index' }],
    [500, { text: 'Internal server error', code: 8 }, { kind: 'retry', ambiguous: true }],
    [503, { text: 'Server is busy', code: 9 }, { kind: 'retry', ambiguous: false }],
    [400, { text: 'Data channel is missing', code: 10 }, { kind: 'fatal', code: 'hec_channel_required' }],
    [400, { text: 'Invalid data channel', code: 11 }, { kind: 'fatal', code: 'hec_invalid_channel' }],
    [400, { text: 'Event field is required', code: 12, 'invalid-event-number': 1 }, { kind: 'rejected_item', index: 1 }],
    [400, { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 2 }, { kind: 'rejected_item', index: 2 }],
    [400, { text: 'ACK is disabled', code: 14 }, { kind: 'fatal', code: 'hec_ack_disabled' }],
    [400, { text: 'Error in handling indexed fields', code: 15, 'invalid-event-number': 0 }, { kind: 'rejected_item', index: 0 }],
    [400, { text: 'Query string authorization is not enabled', code: 16 }, { kind: 'fatal', code: 'hec_query_auth_disabled' }],
    [503, { text: 'HEC is unhealthy, queues are full', code: 18 }, { kind: 'retry', ambiguous: false }],
    [503, { text: 'HEC is unhealthy, ack service unavailable', code: 19 }, { kind: 'retry', ambiguous: false }],
    [503, { text: 'HEC is unhealthy, queues are full, ack service unavailable', code: 20 }, { kind: 'retry', ambiguous: false }],
    [429, { text: 'Too many requests' }, { kind: 'retry', ambiguous: false }],
    [413, { text: 'Content too large' }, { kind: 'too_large' }],
    [404, { text: 'The requested URL was not found on this server.', code: 404 }, { kind: 'fatal', code: 'hec_not_found' }],
  ])('HTTP %s %j', (status, reply, expected) => {
    expect(classifyHecSend(status, {}, body(reply))).toMatchObject(expected);
  });

  it('reads Retry-After and survives non-JSON answers from proxies', () => {
    expect(classifyHecSend(503, { 'retry-after': '7' }, '<html>busy</html>')).toMatchObject({ kind: 'retry', retryAfterMs: 7000, ambiguous: false });
    expect(classifyHecSend(502, {}, '<html>Bad Gateway</html>')).toMatchObject({ kind: 'retry', ambiguous: true, reason: 'HTTP 502: <html>Bad Gateway</html>' });
    expect(classifyHecSend(403, {}, 'Forbidden')).toMatchObject({ kind: 'fatal', code: 'hec_unauthorized' });
    expect(classifyHecSend(200, {}, '')).toEqual({ kind: 'delivered' });
  });

  it('names the code and the fix in the message', () => {
    const out = classifyHecSend(403, {}, body({ text: 'Invalid token', code: 4 }));
    expect(out).toMatchObject({ reason: 'HTTP 403: Invalid token (code 4): check the token variable named in the push config' });
  });
});

describe('HEC answers to /services/collector/ack', () => {
  it.each([
    [200, { acks: { '0': true, '1': false, '2': true } }, { kind: 'ok', acked: new Set([0, 2]) }],
    [400, { text: 'Invalid data channel', code: 11 }, { kind: 'channel_lost' }],
    [400, { text: 'ACK is disabled', code: 14 }, { kind: 'fatal', code: 'hec_ack_disabled' }],
    [403, { text: 'Invalid token', code: 4 }, { kind: 'fatal', code: 'hec_unauthorized' }],
    [503, { text: 'Server is busy', code: 9 }, { kind: 'retry' }],
  ])('HTTP %s %j', (status, reply, expected) => {
    expect(classifyHecAck(status, body(reply))).toMatchObject(expected);
  });
});
