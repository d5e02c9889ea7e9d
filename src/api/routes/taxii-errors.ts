/**
 * TAXII 2.1 error message resources (§3.6.1): `{title, description, error_code, http_status,
 * details}` with the TAXII media type, for every failure under the TAXII paths (auth, quota,
 * validation, unknown paths), so a TAXII client never receives a body it cannot read.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** The challenge TAXII clients (Sentinel, taxii2-client) answer with HTTP Basic credentials. */
export const TAXII_WWW_AUTHENTICATE = 'Basic realm="SOC Defenders TAXII", charset="UTF-8"';

const MISSING_CREDENTIALS =
  'TAXII needs an API key: HTTP Basic with user "apikey" (or empty) and the key as password, or "Authorization: Bearer <key>"';

/** A TAXII failure: an HTTP status, a stable code and a message for the client's operator. */
export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'TaxiiError';
  }
}

export function badRequest(parameter: string, message: string): TaxiiError {
  return new TaxiiError(400, 'invalid_parameter', message, { parameter });
}

export function notFound(code: string, message: string): TaxiiError {
  return new TaxiiError(404, code, message);
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface TaxiiErrorBody {
  title: string;
  description: string;
  error_id: string;
  error_code: string;
  http_status: string;
  details?: Record<string, unknown>;
}

export function taxiiErrorBody(err: TaxiiError, requestId: string): TaxiiErrorBody {
  const body: TaxiiErrorBody = {
    title: TITLES[err.status] ?? (err.status >= 500 ? 'Server Error' : 'Error'),
    description: err.message,
    error_id: requestId,
    error_code: err.code,
    http_status: String(err.status),
  };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/** Any error thrown under the TAXII paths, as the TaxiiError the client will see. */
export function asTaxiiError(error: FastifyError | Error, request: FastifyRequest): TaxiiError {
  if (error instanceof TaxiiError) return error;
  if (error instanceof ApiError) {
    // Auth and quota come from the shared plugins; only the challenge differs for TAXII.
    const headers: Record<string, string> = { ...error.headers };
    if (error.status === 401) headers['WWW-Authenticate'] = TAXII_WWW_AUTHENTICATE;
    const details = Array.isArray(error.details) ? { errors: error.details } : error.details;
    const message = error.code === 'missing_api_key' ? MISSING_CREDENTIALS : error.message;
    return new TaxiiError(error.status, error.code, message, details, headers);
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const issue = fe.validation[0];
    const field = issue?.instancePath.replace(/^\//, '') || String(issue?.params?.missingProperty ?? 'request');
    return new TaxiiError(400, 'invalid_parameter', `${field} ${issue?.message ?? 'is invalid'}`, { parameter: field });
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) return new TaxiiError(status, (fe.code ?? 'bad_request').toLowerCase(), fe.message);
  request.log.error({ err: error }, 'TAXII request failed');
  if (status === 503) return new TaxiiError(503, 'service_unavailable', 'the server is unavailable; retry shortly');
  return new TaxiiError(500, 'internal_error', `internal error; quote request id ${request.id} when reporting it`);
}

export function sendTaxiiError(reply: FastifyReply, request: FastifyRequest, err: TaxiiError): FastifyReply {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.status(err.status).type(TAXII_MEDIA_TYPE).send(JSON.stringify(taxiiErrorBody(err, request.id)));
}
