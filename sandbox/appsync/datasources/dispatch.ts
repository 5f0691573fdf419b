// Which data source runs a request: the type the template gives the data source picks DynamoDB, Lambda or NONE
// ("Attaching a data source in AWS AppSync"); a type the sandbox does not serve is a clear field error.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaService } from '../../lambda/runtime.ts';
import type { DataSourceModel } from '../../template/model.ts';
import type { ResolverContext } from '../runtime/context.ts';
import { executeDynamoDbRequest } from './dynamodb.ts';
import { executeLambdaRequest, executeNoneRequest } from './lambda.ts';
import type { DataSourceOutcome } from './outcome.ts';
import { callerOf, PaginationTokens } from './pagination-token.ts';

export type DataSourceExecutor = (source: DataSourceModel, request: unknown, ctx: ResolverContext) => Promise<DataSourceOutcome>;

export interface DataSourceBackends {
  dynamodb: { client: DynamoDBClient; tableNames: ReadonlySet<string> };
  lambda: LambdaService;
}

/** One executor per sandbox run: its DynamoDB nextTokens are sealed with a key of its own. */
export function dataSourceExecutor(backends: DataSourceBackends): DataSourceExecutor {
  const tokens = new PaginationTokens();
  return async (source, request, ctx) => {
    switch (source.type) {
      case 'AMAZON_DYNAMODB':
        if (!source.tableName || !backends.dynamodb.tableNames.has(source.tableName)) {
          return { error: { type: 'DynamoDB:ResourceNotFoundException', message: `Table ${source.tableName ?? ''} is not in the template` } };
        }
        return executeDynamoDbRequest(backends.dynamodb.client, source.tableName, request, { tokens, caller: callerOf(ctx.identity) });
      case 'AWS_LAMBDA':
        return executeLambdaRequest(backends.lambda, source.functionName ?? '', request);
      case 'NONE':
        return executeNoneRequest(request);
      default:
        return { error: { type: 'UnsupportedDataSource', message: `${source.type} data sources are not served by the sandbox` } };
    }
  };
}
