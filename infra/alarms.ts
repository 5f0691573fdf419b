// Alarms on what a user would notice first: chat function errors and throttles, async turns that never ran
// (dropped or parked in the failure queue) and AppSync 5xx, all sent to one SNS topic.
import { Duration } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from './config.ts';

export interface ChatAlarmsProps {
  config: StageConfig;
  api: appsync.GraphqlApi;
  chat: lambda.IFunction;
  account: lambda.IFunction;
  failedEvents: sqs.IQueue;
}

export class ChatAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, { config, api, chat, account, failedEvents }: ChatAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: `Chat API alarms (${config.stage})`, enforceSSL: true });
    if (config.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    const period = Duration.minutes(5);
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string): void => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new SnsAction(this.topic));
    };

    alarm('ChatErrors', chat.metricErrors(sum), 'The chat function failed: a reply may have ended in ERROR.');
    alarm('ChatThrottles', chat.metricThrottles(sum), 'The chat function was throttled: replies are delayed or lost.');
    // "Async invocation metrics" in the Lambda developer guide: events dropped without running.
    alarm('ChatAsyncEventsDropped', chat.metric('AsyncEventsDropped', sum), 'Async chat turns were dropped before running.');
    alarm('ChatFailedEvents', failedEvents.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
      'A chat turn failed and was parked in the failure queue.');
    alarm('AccountErrors', account.metricErrors(sum), 'The account function failed: a global sign-out or clean-up did not finish.');
    // "Monitoring and logging" in the AppSync developer guide: 5XXError per GraphQLAPIId.
    alarm('Api5xx', new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName: '5XXError', dimensionsMap: { GraphQLAPIId: api.apiId }, ...sum }),
      'The GraphQL API answered with server errors.');
  }
}
