/**
 * Schemas of the document exports: `GET /api/v1/iocs/stix`, `/iocs/misp`, `/iocs/openioc` and
 * `/iocs/cef`. Each takes the shared IOC filters (ioc-filter.ts) plus its own options.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TLPS } from '../../domain/vocabulary.js';
import { STIX_EXPORT_FORMATS } from '../../export/stix-export.js';
import { IocFilterQueryProperties } from '../ioc-filter.js';
import { StringEnum } from './common.js';

export const StixExportQuery = Type.Object({
  ...IocFilterQueryProperties,
  format: Type.Optional(
    StringEnum(STIX_EXPORT_FORMATS, {
      description: 'bundle (default): a STIX 2.1 bundle; objects: the bare JSON array of the same objects',
      default: 'bundle',
    }),
  ),
  include_identity: Type.Optional(
    Type.Boolean({ default: true, description: 'Start with the SOC Defenders identity every object names in created_by_ref' }),
  ),
  include_markings: Type.Optional(
    Type.Boolean({
      default: true,
      description: 'Include the TLP marking-definition objects the objects reference (some importers need them to read TLP)',
    }),
  ),
  tlp: Type.Optional(
    StringEnum(TLPS, {
      description:
        "Mark every object at least this restrictively. An IOC's own TLP (its feed's, or from confidence: high green, " +
        'medium amber, low clear) is never lowered: tlp=clear changes nothing, tlp=red marks everything red. ' +
        'amber+strict may be sent unencoded (the space a query string makes of + is read as +).',
    }),
  ),
});
export type StixExportQueryInput = Static<typeof StixExportQuery>;

export const MispExportQuery = Type.Object(IocFilterQueryProperties);
export type MispExportQueryInput = Static<typeof MispExportQuery>;

export const OpenIocExportQuery = Type.Object(IocFilterQueryProperties);
export type OpenIocExportQueryInput = Static<typeof OpenIocExportQuery>;

export const CEF_EXPORT_FORMATS = ['cef', 'syslog'] as const;
export type CefExportFormat = (typeof CEF_EXPORT_FORMATS)[number];

export const CefExportQuery = Type.Object({
  ...IocFilterQueryProperties,
  format: Type.Optional(
    StringEnum(CEF_EXPORT_FORMATS, {
      description: 'cef (default): ArcSight CEF lines; syslog: RFC 5424 messages with structured data, the CEF line as MSG',
      default: 'cef',
    }),
  ),
});
export type CefExportQueryInput = Static<typeof CefExportQuery>;

/** Paging headers every export sends (as GET /api/v1/iocs does for csv, txt and ndjson). */
export const EXPORT_PAGE_HEADERS = {
  'X-Total-Count': { type: 'integer', description: 'IOCs matching the filters (all pages)' },
  'X-Next-Cursor': { type: 'string', description: 'Pass as cursor to continue after this page (absent when there is none)' },
  'X-Has-More': { type: 'string', enum: ['true', 'false'], description: 'Whether another page is ready now' },
} as const;

export const StixDocument = Type.Unsafe<unknown>({
  description: 'A STIX 2.1 bundle ({"type":"bundle","id","objects"}), or with format=objects the bare array of objects',
});

export const MispEventDocument = Type.Unsafe<unknown>({
  description: 'One MISP event ({"Event": {uuid, info, date, ..., "Attribute": [...], "Tag": [...]}}), as POST /events/add takes it',
});

export const TextDocument = Type.String();
