import { z } from 'zod';

/** The REST API version the organisation query is sent to (Winter '25). */
export const SALESFORCE_API_VERSION = '62.0';

const OrganizationQueryAnswerSchema = z.object({
  records: z.array(z.object({ Name: z.string().min(1) })).min(1),
});

/**
 * The org's name, from one REST query (`SELECT Name FROM Organization`) with the new access token:
 * it needs only the `api` scope, which the connection has anyway, where the identity service would
 * need the `id` scope and still not say the org's name. Best effort: any failure (no `api` scope,
 * the user lacks "API Enabled", Salesforce slow or down) gives null, and the connection is named
 * by its org id alone.
 */
export async function fetchOrganizationName(
  instanceUrl: string,
  accessToken: string,
  timeoutMs: number,
): Promise<string | null> {
  const url = new URL(`/services/data/v${SALESFORCE_API_VERSION}/query`, instanceUrl);
  url.searchParams.set('q', 'SELECT Name FROM Organization');
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const answer = OrganizationQueryAnswerSchema.safeParse(await response.json());
    return answer.success ? (answer.data.records[0]?.Name ?? null) : null;
  } catch {
    return null;
  }
}
