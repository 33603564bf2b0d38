import { randomUUID } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import {
  CONTRACTS_ID,
  DRIVE_ID,
  FakeDrive,
  ROOT_ID,
} from '../../../connectors/sharepoint/test/auto-review/fake-drive.js';
import { driveItem } from '../../../connectors/sharepoint/test/source/graph-fixtures.js';
import { GRAPH, graphError } from '../../../connectors/sharepoint/test/watch/fixtures.js';

export { CONTRACTS_ID, DRIVE_ID, FakeDrive, ROOT_ID };

/** The Legal site's document library, as its address shows in the browser. */
export const LIBRARY_URL = 'https://contoso.sharepoint.com/sites/Legal/Shared%20Documents';
/** The library's Contracts folder. */
export const CONTRACTS_URL = `${LIBRARY_URL}/Contracts`;
/** A file of the library, not a folder. */
export const FILE_URL = `${LIBRARY_URL}/Contracts/Contract.docx`;

/** Graph's validation request of a notification URL, and how the server answered it. */
export interface Validation {
  /** The URL Graph validated. */
  url: string;
  status: number;
  contentType: string | null;
  /** Whether the answer was the token Graph sent, exactly. */
  echoed: boolean;
}

/**
 * Microsoft Graph in front of one SharePoint library (the connector's {@link FakeDrive}), as a
 * running Prism server meets it: `/shares/{encoded}/driveItem` resolves {@link LIBRARY_URL},
 * {@link CONTRACTS_URL} and {@link FILE_URL} (any other link is not found), and creating a
 * subscription first validates its notification URLs against `serverUrl()` the way Graph does
 * (`POST <url>?validationToken=...`, the token expected back as `text/plain` within the
 * request), refusing the subscription when they do not answer.
 */
export class FakeGraph {
  readonly drive = new FakeDrive();
  readonly validations: Validation[] = [];
  readonly #serverUrl: () => string;

  constructor(serverUrl: () => string) {
    this.#serverUrl = serverUrl;
  }

  /** The msw handlers: the links, the validation, then the drive. */
  handlers(): RequestHandler[] {
    return [
      http.get(`${GRAPH}/shares/:share/driveItem`, ({ params }) =>
        this.#share(String(params.share)),
      ),
      http.post(`${GRAPH}/subscriptions`, async ({ request }) => this.#validate(request)),
      ...this.drive.handlers(),
    ];
  }

  #share(share: string): Response {
    const link = share.startsWith('u!')
      ? Buffer.from(share.slice(2), 'base64url').toString('utf8')
      : '';
    const parent = { driveType: 'documentLibrary', driveId: DRIVE_ID };
    if (link === LIBRARY_URL) {
      return HttpResponse.json({
        id: ROOT_ID,
        name: 'root',
        root: {},
        folder: { childCount: 2 },
        parentReference: parent,
      });
    }
    if (link === CONTRACTS_URL) {
      return HttpResponse.json({
        id: CONTRACTS_ID,
        name: 'Contracts',
        folder: { childCount: 1 },
        parentReference: { ...parent, id: ROOT_ID, path: `/drives/${DRIVE_ID}/root:` },
      });
    }
    if (link === FILE_URL) return HttpResponse.json(driveItem());
    return graphError(
      404,
      'itemNotFound',
      'The sharing link no longer exists, or you do not have permission to access it.',
    );
  }

  async #validate(request: Request): Promise<Response | undefined> {
    const body = (await request.clone().json()) as Record<string, unknown>;
    const urls = new Set([String(body.notificationUrl), String(body.lifecycleNotificationUrl)]);
    for (const url of urls) {
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      const target = new URL(
        `${new URL(url).pathname}?validationToken=${encodeURIComponent(token)}`,
        this.#serverUrl(),
      );
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
      const echoed = (await answer.text()) === token;
      this.validations.push({
        url,
        status: answer.status,
        contentType: answer.headers.get('content-type'),
        echoed,
      });
      if (answer.status !== 200 || !echoed) {
        return graphError(
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
      }
    }
    return undefined;
  }
}
