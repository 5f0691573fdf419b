// The attachments bucket (docs/architecture.md, "Attachments"): private, encrypted, TLS-only; browsers upload to it
// with the presigned POST createAttachmentUpload returns; every object expires attachmentRetentionDays after its upload.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATTACHMENT_KEY_PREFIX } from '../resolvers/keys.ts';
import type { StageConfig } from './config.ts';

export class AttachmentBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A browser posts the upload form from the front end's page, whatever its origin: the signed policy, which only
      // the API hands out to a signed-in user, is what allows an upload; CORS only lets the page read the answer.
      cors: [{ allowedOrigins: ['*'], allowedMethods: [s3.HttpMethods.POST], allowedHeaders: ['*'], exposedHeaders: ['ETag'], maxAge: 3000 }],
      // Sent or not, an object expires a fixed time after its upload: the sandbox and S3 keep no "sent" state an
      // expiry rule could read, and an unsent one's table record is gone after a day (attachment-limits.ts).
      lifecycleRules: [{ id: 'ExpireAttachments', prefix: ATTACHMENT_KEY_PREFIX, expiration: Duration.days(config.attachmentRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // A bucket holding objects cannot be deleted with the stack: empty it first (`aws s3 rm --recursive`) in dev.
      removalPolicy: config.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'Only the API\'s functions read and write objects, each request signed by their roles (CloudTrail data events can audit them); server access logs would need a second bucket for no reader.' },
    );
  }
}
