// What a data source hands back to the resolver runtime: `ctx.result`, or `ctx.error` with an optional `ctx.result`.
// Shapes from "AWS AppSync JavaScript resolver function reference for DynamoDB" (and the other data source references).

export interface DataSourceError {
  message: string;
  /** AppSync's error type, e.g. `DynamoDB:ConditionalCheckFailedException` or `MappingTemplate`. */
  type: string;
}

export type DataSourceOutcome = { result: unknown } | { error: DataSourceError; result?: unknown };

/** A request object the data source cannot run: AppSync reports it as a `MappingTemplate` error and calls nothing. */
export class MappingTemplateError extends Error {
  readonly errorType = 'MappingTemplate';
  constructor(message: string) {
    super(message);
    this.name = 'MappingTemplateError';
  }
}
