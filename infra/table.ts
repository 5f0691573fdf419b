// The one DynamoDB table (docs/architecture.md, "Data model"): pk/sk strings, the recency index, TTL on expiresAt.
// prod adds point-in-time recovery and deletion protection, and keeps the table when the stack goes.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { RECENCY_INDEX } from '../resolvers/keys.ts';
import type { StageConfig } from './config.ts';

export class ChatTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.prod },
      deletionProtection: config.prod,
      removalPolicy: config.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Conversations by recency: USER#<sub> / <updatedAt>#<id> (resolvers/keys.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: RECENCY_INDEX,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    if (!config.prod) {
      Validations.of(this.table).acknowledge(
        { id: 'AwsSolutions-DDB3', reason: 'dev tables hold throw-away test data; point-in-time recovery is on in prod only (docs/architecture.md, Stages).' },
      );
    }
  }
}
