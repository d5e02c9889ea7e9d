/**
 * The one error handler (fastify/demo style): ApiError and 4xx keep their code and message,
 * schema validation failures become 400 invalid_parameter naming the field, unknown routes a
 * JSON 404, and anything else a generic 500 plus a log line. No stack trace reaches a client.
 * https://fastify.dev/docs/latest/Reference/Server/#seterrorhandler
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody, type ErrorCode, type ErrorDetails } from '../errors.js';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Fastify's 4xx errors by status, for the codes clients see. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_body',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'service_unavailable',
};

function fieldOf(issue: ValidationIssue): string {
  const missing = issue.params.missingProperty;
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  const extra = issue.params.additionalProperty;
  if (typeof extra === 'string') return path ? `${path}.${extra}` : extra;
  return path;
}

function describe(issue: ValidationIssue, field: string): string {
  const allowed = issue.params.allowedValues;
  if (issue.keyword === 'enum' && Array.isArray(allowed)) return `${field} must be one of: ${allowed.join(', ')}`;
  if (issue.keyword === 'required') return `${field} is required`;
  if (issue.keyword === 'additionalProperties') return `${field} is not a known field`;
  return `${field} ${issue.message ?? 'is invalid'}`;
}

/** 400 from a failed schema validation, naming the first wrong field and listing all. */
export function validationError(issues: readonly ValidationIssue[], context: string | undefined): ApiError {
  const details = issues.map((issue) => {
    const field = fieldOf(issue) || context || 'request';
    return { parameter: field, in: context ?? 'request', message: describe(issue, field) };
  });
  const first = details[0];
  const code: ErrorCode = context === 'body' ? 'invalid_body' : 'invalid_parameter';
  return new ApiError(400, code, first ? first.message : 'the request is invalid', details);
}

function sendError(reply: FastifyReply, request: FastifyRequest, err: ApiError): void {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  const details: ErrorDetails | undefined = err.details;
  void reply
    .status(err.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(err.code, err.message, request.id, details));
}

/** Install the error and not-found handlers on the root instance (covers every route). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendError(reply, request, error);
    if (error.validation) {
      return sendError(reply, request, validationError(error.validation as ValidationIssue[], error.validationContext));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = STATUS_CODES[status] ?? 'invalid_parameter';
      const message = code === 'payload_too_large' ? `request body is larger than the limit of ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes` : error.message;
      return sendError(reply, request, new ApiError(status, code, message));
    }
    request.log.error({ err: error }, 'request failed');
    if (status === 503) return sendError(reply, request, new ApiError(503, 'service_unavailable', 'the server is unavailable; retry shortly'));
    return sendError(
      reply,
      request,
      new ApiError(500, 'internal_error', `internal error; quote request id ${request.id} when reporting it`),
    );
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      request,
      new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
    );
  });
}
