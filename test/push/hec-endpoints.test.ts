/** Where the HEC connector posts events and polls acks, from the configured URL (push/splunk-hec.ts). */
import { describe, expect, it } from 'vitest';
import { hecEndpoints } from '../../src/push/splunk-hec.js';

describe('hecEndpoints', () => {
  it.each([
    ['https://splunk.example:8088', 'https://splunk.example:8088/services/collector/event', 'https://splunk.example:8088/services/collector/ack'],
    ['https://splunk.example:8088/', 'https://splunk.example:8088/services/collector/event', 'https://splunk.example:8088/services/collector/ack'],
    ['https://splunk.example:8088/services/collector', 'https://splunk.example:8088/services/collector/event', 'https://splunk.example:8088/services/collector/ack'],
    ['https://splunk.example:8088/services/collector/event', 'https://splunk.example:8088/services/collector/event', 'https://splunk.example:8088/services/collector/ack'],
    ['https://splunk.example:8088/services/collector/event/1.0', 'https://splunk.example:8088/services/collector/event/1.0', 'https://splunk.example:8088/services/collector/ack'],
    ['https://http-inputs-acme.splunkcloud.com', 'https://http-inputs-acme.splunkcloud.com/services/collector/event', 'https://http-inputs-acme.splunkcloud.com/services/collector/ack'],
    ['https://proxy.example/splunk/', 'https://proxy.example/splunk/services/collector/event', 'https://proxy.example/splunk/services/collector/ack'],
  ])('%s', (base, event, ack) => {
    const e = hecEndpoints(base);
    expect(e.event.toString()).toBe(event);
    expect(e.ack.toString()).toBe(ack);
  });
});
