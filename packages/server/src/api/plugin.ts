import multipart from '@fastify/multipart';
import type { PrismService } from '@prism/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import { isAuthRefusal, problemOfRefusal } from '../auth/refusal.js';
import type { RequestAuthenticator } from '../auth/request-authenticator.js';
import { HANDLERS } from './handlers.js';
import { OPENAPI_DOCUMENT, OPERATIONS } from './operations.js';
import { problemOf, sendProblem } from './problems.js';
import { type Principal, REQUIRED_ROLE, roleAllows } from './roles.js';
import { MAX_UPLOAD_BYTES, readMultipartUpload } from './upload.js';

/** The largest JSON body: an upload's 25 MB in base64, with room for its other fields. */
export const MAX_JSON_UPLOAD_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;
/** The largest body of any other operation: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the API plugin serves with. */
export interface ApiPluginOptions {
  /** The operations, run for each request's tenant and key. */
  service: PrismService;
  /** Who a request's API key or access token belongs to. */
  authenticator: RequestAuthenticator;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request, once authenticated. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The OpenAPI operation a route serves. */
    operationId?: string;
  }
}

/**
 * Every operation of the OpenAPI document as a route (fastify-openapi-glue makes the routes and
 * their validation from the document itself), each authenticated by API key or access token,
 * allowed by role, and run on the request tenant's `PrismApi`.
 */
export async function apiPlugin(app: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const missing = [...OPERATIONS.keys()].filter(
    (id) => !(id in HANDLERS) || !(id in REQUIRED_ROLE),
  );
  if (missing.length > 0) throw new Error(`No handler or role for ${missing.join(', ')}.`);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });

  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const operationId = request.routeOptions.config.operationId as string;
    const result = await options.authenticator.authenticate(request.headers.authorization);
    if (isAuthRefusal(result)) {
      if (result.status === 503) request.log.error({ err: result.cause }, result.detail);
      return sendProblem(reply, problemOfRefusal(request, result));
    }
    const required = REQUIRED_ROLE[operationId] ?? 'admin';
    if (!roleAllows(result.role, required)) {
      return sendProblem(
        reply,
        problemOf(
          request,
          403,
          'forbidden',
          `${operationId} needs the ${required} role or higher; this ${result.actor.type === 'user' ? 'user' : 'key'} is ${result.role}.`,
          {
            hint: 'Use a key with a role that allows it, or ask an organisation admin.',
          },
        ),
      );
    }
    request.principal = result;
  };

  await app.register(openapiGlue, {
    specification: OPENAPI_DOCUMENT,
    // It warns of every response media type as a request body it has no parser for.
    logLevel: 'error',
    // A partial route: the plugin adds the method, URL and schemas from the document.
    operationResolver: (operationId: string) => {
      const handle = HANDLERS[operationId];
      const status = OPERATIONS.get(operationId)?.successStatus ?? 200;
      return {
        config: { operationId },
        bodyLimit: operationId === 'createDocument' ? MAX_JSON_UPLOAD_BYTES : MAX_BODY_BYTES,
        onRequest: authenticate,
        ...(operationId === 'createDocument' ? { preValidation: readMultipartUpload } : {}),
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const principal = request.principal as Principal;
          const prism = options.service.forActor(principal.tenantId, principal.actor);
          const result = await (handle as NonNullable<typeof handle>)(prism, {
            params: request.params as Record<string, string>,
            query: request.query as Record<string, string | number | undefined>,
            body: request.body,
            upload: request.upload,
            request,
            reply,
          });
          if (result === reply) return reply;
          if (status === 204) return reply.code(204).send();
          return reply.code(status).send(result);
        },
      } as unknown as RouteOptions;
    },
  });
}
