import document from '../generated/openapi.json' with { type: 'json' };

/** An operation of the OpenAPI document as routing needs it. */
export interface OperationInfo {
  /** Its `operationId`. */
  operationId: string;
  /** The status of its success answer (200, 201, 202 or 204). */
  successStatus: number;
}

type Responses = Record<string, unknown>;
type PathItem = Record<string, { operationId?: string; responses?: Responses }>;

/** The OpenAPI document the server routes and validates by (`openapi/prism.yaml` as JSON). */
export const OPENAPI_DOCUMENT: Record<string, unknown> = document;

/** Every operation of the document's paths, by `operationId`. */
export const OPERATIONS: ReadonlyMap<string, OperationInfo> = new Map(
  Object.values(document.paths as unknown as Record<string, PathItem>).flatMap((item) =>
    Object.values(item)
      .filter((operation) => typeof operation === 'object' && operation?.operationId)
      .map((operation) => {
        const operationId = operation.operationId as string;
        const success = Object.keys(operation.responses ?? {}).find((code) => code.startsWith('2'));
        return [operationId, { operationId, successStatus: Number(success ?? 200) }] as const;
      }),
  ),
);
