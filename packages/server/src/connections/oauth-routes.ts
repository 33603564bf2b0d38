import {
  type ConnectionProvider,
  ConnectionProviderSchema,
  PrismError,
  type PrismService,
} from '@prism/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemOf, problemOfError, sendProblem } from '../api/problems.js';
import { REQUIRED_ROLE, roleAllows } from '../api/roles.js';
import { isAuthRefusal, problemOfRefusal } from '../auth/refusal.js';
import type { RequestAuthenticator } from '../auth/request-authenticator.js';
import type { ConnectionHub } from './hub.js';
import { resultPage } from './result-page.js';

/** What the OAuth routes need. */
export interface OAuthRoutesOptions {
  service: PrismService;
  hub: ConnectionHub;
  authenticator: RequestAuthenticator;
}

/** The HTTP status of a flow that ended with an error of this code. */
const STATUS: Readonly<Record<string, number>> = {
  oauth_state_invalid: 400,
  account_mismatch: 409,
  provider_error: 400,
  provider_not_configured: 409,
  provider_unavailable: 503,
};

/**
 * The OAuth routes, for browsers: `GET /oauth/<provider>/start` (an API key or access token
 * of an org admin; starts a flow and redirects to the provider) and `GET
 * /oauth/<provider>/callback` (where the provider sends the user back: the state is checked
 * and consumed, the code exchanged, and the user sent to the flow's `returnUrl` or shown a
 * page saying what happened, errors included).
 */
export async function oauthRoutes(app: FastifyInstance, options: OAuthRoutesOptions) {
  const { service, hub, authenticator } = options;

  app.get('/oauth/:provider/start', async (request, reply) => {
    const provider = providerOf(request);
    if (provider === undefined) return notFound(request, reply);
    const principal = await authenticator.authenticate(request.headers.authorization);
    if (isAuthRefusal(principal)) return sendProblem(reply, problemOfRefusal(request, principal));
    const required = REQUIRED_ROLE.createConnection ?? 'admin';
    if (!roleAllows(principal.role, required)) {
      return sendProblem(
        reply,
        problemOf(request, 403, 'forbidden', `Connecting accounts needs the ${required} role.`, {
          hint: 'Ask an organisation admin to connect the account.',
        }),
      );
    }
    const { returnUrl } = request.query as { returnUrl?: string };
    const started = await service
      .forActor(principal.tenantId, principal.actor)
      .connections.create({ provider, ...(returnUrl === undefined ? {} : { returnUrl }) });
    return reply.redirect(started.authorizationUrl, 302);
  });

  app.get('/oauth/:provider/callback', async (request, reply) => {
    const provider = providerOf(request);
    if (provider === undefined) return notFound(request, reply);
    const query = stringsOf(request.query);
    try {
      const { connection, returnUrl } = await hub.complete(provider, query, (tenantId, actor) =>
        service.connectionLifecycle(tenantId, actor),
      );
      if (returnUrl !== null) {
        const target = new URL(returnUrl);
        target.searchParams.set('connection', connection.id);
        return reply.redirect(target.toString(), 302);
      }
      const account = connection.account?.name ?? connection.account?.id ?? 'the account';
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .send(
          resultPage('Connected', `Prism is connected to ${account}. You can close this page.`),
        );
    } catch (error) {
      if (!(error instanceof PrismError) || STATUS[error.code] === undefined) {
        const problem = problemOfError(request, error);
        request.log.error({ err: error }, 'OAuth callback failed');
        return reply
          .code(problem.status)
          .type('text/html; charset=utf-8')
          .send(resultPage('Not connected', `${problem.detail} (request ${request.id})`));
      }
      return reply
        .code(STATUS[error.code] as number)
        .type('text/html; charset=utf-8')
        .send(resultPage('Not connected', error.message, error.hint));
    }
  });
}

function providerOf(request: FastifyRequest): ConnectionProvider | undefined {
  const parsed = ConnectionProviderSchema.safeParse(
    (request.params as { provider: string }).provider,
  );
  return parsed.success ? parsed.data : undefined;
}

/** The query's single values (a repeated parameter keeps its first value). */
function stringsOf(query: unknown): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') strings[name] = first;
  }
  return strings;
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(
    reply,
    problemOf(request, 404, 'not_found', 'There is no such provider.', {
      hint: 'Use microsoft, salesforce or slack.',
    }),
  );
}
