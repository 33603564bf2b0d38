import type { NotificationReply, NotificationRequest } from '@prism/connector-sharepoint';
import type { FastifyInstance } from 'fastify';

/** Where Microsoft Graph posts the notifications of SharePoint watches. */
export const GRAPH_HOOK_PATH = '/hooks/graph';

/**
 * The largest notification body taken, in bytes: 1 MiB, room for a full collection of drive
 * notifications (each well under 1 KB).
 */
export const GRAPH_HOOK_BODY_LIMIT = 1024 * 1024;

/** What the Graph notification route needs. */
export interface GraphHookRoutesOptions {
  /** Answers each request (the auto-reviewer). */
  notifications: { handleNotification(request: NotificationRequest): NotificationReply };
  /** The largest body taken, in bytes. Default {@link GRAPH_HOOK_BODY_LIMIT}. */
  bodyLimit?: number;
}

/**
 * `POST /hooks/graph`, where Microsoft Graph posts to: its validation handshake
 * (`?validationToken=...`, answered 200 with the token as `text/plain`; Graph sends it as a POST)
 * and notification collections (202, the work done in the background; 400 for a body that is
 * none). Not authenticated: Graph cannot send Prism's keys, so each notification is checked
 * against its subscription's secret (`clientState`) instead. The body, whatever its type, is read
 * as text up to the limit (413 past it).
 */
export async function graphHookRoutes(
  app: FastifyInstance,
  options: GraphHookRoutesOptions,
): Promise<void> {
  const bodyLimit = options.bodyLimit ?? GRAPH_HOOK_BODY_LIMIT;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });
  app.post(GRAPH_HOOK_PATH, { bodyLimit }, async (request, reply) => {
    const answer = options.notifications.handleNotification({
      query: request.query as NotificationRequest['query'],
      body: request.body ?? '',
    });
    reply.code(answer.status);
    if (answer.contentType !== undefined) reply.type(answer.contentType);
    return reply.send(answer.body);
  });
}
