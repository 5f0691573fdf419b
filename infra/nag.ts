// cdk-nag, imported once: its CommonJS exports are not visible to Node's ESM named-import detection.
// cdk-nag 3 is a CDK validation plugin: findings are acknowledged with `Validations.of(construct).acknowledge`.
import cdkNag from 'cdk-nag';

export const { AwsSolutionsChecks } = cdkNag;
