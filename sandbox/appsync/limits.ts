// The API's per-request limits, applied field by field as "Configuring GraphQL run complexity, query depth, and
// introspection with AWS AppSync" describes: a field deeper than the query depth limit fails with
// QueryDepthLimitReached (and, when non-nullable, takes its nearest nullable parent with it), and every resolver past
// the resolver count limit fails with ResolverExecutionLimitReached without running; those before it run. AWS shows
// the two errors' messages only in screenshots: the wording here is the sandbox's reading.
import type { ResponsePath } from 'graphql';
import { FieldFailure } from './field-failure.ts';
import type { ApiLimits } from '../template/model.ts';

/** The limits of one request: its own resolver count. */
export class RequestLimits {
  private resolvers = 0;

  constructor(private readonly limits: ApiLimits) {}

  /** Throws for a field nested deeper than the limit. Depth counts fields: `{ a { b } }` has b at 2; list items add none. */
  checkDepth(path: ResponsePath, fieldName: string): void {
    const limit = this.limits.queryDepth;
    if (limit === null) return;
    let depth = 0;
    for (let at: ResponsePath | undefined = path; at !== undefined; at = at.prev) if (typeof at.key === 'string') depth += 1;
    if (depth > limit) {
      throw FieldFailure.of(`Query depth limit of ${limit} reached: '${fieldName}' is at depth ${depth}.`, 'QueryDepthLimitReached');
    }
  }

  /** Counts one resolver about to run; throws, and it does not run, once the request has run as many as the limit. */
  countResolver(typeName: string, fieldName: string): void {
    this.resolvers += 1;
    if (this.resolvers > this.limits.resolverCount) {
      throw FieldFailure.of(`Resolver count limit of ${this.limits.resolverCount} reached: the resolver of ${typeName}.${fieldName} was not run.`, 'ResolverExecutionLimitReached');
    }
  }
}
