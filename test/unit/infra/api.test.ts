// The GraphQL API's own limits in both stages: query depth, resolvers per request, and introspection (off in prod).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStage, type Resources, type SynthesizedStage } from './synth.ts';

let dev: SynthesizedStage;
let prod: SynthesizedStage;

beforeAll(() => {
  dev = buildStage('dev');
  prod = buildStage('prod');
}, 120_000);

afterAll(() => {
  dev.dispose();
  prod.dispose();
});

function apiProperties(stage: SynthesizedStage): Record<string, unknown> {
  const [api] = Object.values(Template.fromStack(stage.stack).findResources('AWS::AppSync::GraphQLApi') as Resources);
  return api?.Properties ?? {};
}

describe('the API limits', () => {
  it.each(['dev', 'prod'] as const)('sets a query depth limit and a resolver count limit in %s', (stage) => {
    const properties = apiProperties(stage === 'dev' ? dev : prod);

    // Above what the product's clients send (GraphiQL's introspection query is 15 deep; two resolvers a request at most).
    expect(properties.QueryDepthLimit).toBeGreaterThanOrEqual(15);
    expect(properties.QueryDepthLimit).toBeLessThanOrEqual(75);
    expect(properties.ResolverCountLimit).toBeGreaterThanOrEqual(5);
    expect(properties.ResolverCountLimit).toBeLessThan(100);
  });

  it('turns introspection off in prod and keeps it in dev, where the playground shows the schema', () => {
    expect(apiProperties(prod).IntrospectionConfig).toBe('DISABLED');
    expect(apiProperties(dev).IntrospectionConfig).toBe('ENABLED');
  });
});
