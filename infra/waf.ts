// prod only: an AWS WAF web ACL on the API with a per-IP rate-based rule (docs/architecture.md, "Stages").
// No managed rule groups: their body-size rules would block 32,000-character messages.
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StageConfig } from './config.ts';

export interface ChatWafProps {
  config: StageConfig;
  api: appsync.GraphqlApi;
}

export class ChatWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, { config, api }: ChatWafProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      // WAFv2 allows no parentheses in a Description ("AWS::WAFv2::WebACL": Description pattern; cfn-lint E3031).
      description: `Chat API ${config.stage}: per-IP rate limit`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`chat-api-${config.stage}`),
      rules: [{
        name: 'RateLimitPerIp',
        priority: 0,
        // A 429 the clients already treat as TooManyRequests ("Rate-based rule statement" in the AWS WAF guide).
        action: { block: { customResponse: { responseCode: 429 } } },
        statement: { rateBasedStatement: { limit: config.wafRateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility('rate-limit-per-ip'),
      }],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: api.arn, webAclArn: this.webAcl.attrArn });
  }
}
