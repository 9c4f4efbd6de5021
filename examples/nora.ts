import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 000, Nora (happypillar), through phase 5: a 2-AZ VPC, 10.0.0.0/16,
 * public 10.0.1.0/24 and 10.0.2.0/24, private 10.0.10.0/24 and
 * 10.0.11.0/24; the audio bucket (AES256, versioned, audio deleted after 90
 * days, old versions too); the RDS PostgreSQL instance (db.t3.small,
 * Multi-AZ) in the private subnets, reachable only from App Runner; the
 * secrets; the ECR repository; and the App Runner service with its VPC
 * connector. The $50 monthly budget is the account's (examples/project.ts).
 *
 * ⚑ The seed keeps App Runner in public subnets behind the internet gateway,
 *   with no NAT, and expects it to call Anthropic and ElevenLabs. With a VPC
 *   connector all of App Runner's egress leaves through the connector's
 *   interfaces, which have no public IP, so those calls would time out
 *   (aws/apprunner-roadmap#167). Keel refuses that layout; here the
 *   connector sits in the private subnets with one NAT gateway (about
 *   $33/month more than the seed's "no NAT" design).
 * ⚑ The seed's App Runner group allows all outbound. Its calls (Anthropic,
 *   ElevenLabs, AWS APIs) are HTTPS: the connector allows TCP 443 out, and
 *   a team that needs another port adds an `egress` rule with its reason.
 * ⚑ "Automatically delete files after 90 days" on a versioned bucket only
 *   adds delete markers: noncurrent versions expire after 90 days as well,
 *   so the recordings (PHI-like) really go.
 * ⚑ The seed's DATABASE_URL secret would hold the password: the password is
 *   RDS's own managed secret, given to the service as DATABASE_CREDENTIALS.
 * ⚑ "Signed URLs (7-day expiration)": a presigned URL is valid only while the
 *   credentials that signed it are. App Runner's instance role signs with
 *   session credentials that expire within hours, so a 7-day URL stops
 *   working long before its X-Amz-Expires. Fixes: sign with CloudFront
 *   signed URLs (a key group; the expiry is the URL's own), or with an IAM
 *   user's access key kept in Secrets Manager and rotated (the one
 *   long-lived key the design would then hold). Until then, keep presigned
 *   URLs to under an hour and re-sign on demand.
 * ⚑ The seed's resource registry (IGW_ID, APPRUNNER_SG, RDS_SG, VPC_ID) are
 *   outputs: internet-gateway-id, apprunner-security-group-ids,
 *   rds-security-group-id, vpc-id (`terraform output`).
 * ⚑ Names are the seed's (naming): nora-vpc, its subnets nora-public-1a ...
 *   nora-private-1b, the audio bucket nora-audio-059364397483, and nora-<name>
 *   for the rest, so `keel adopt nora` finds the running VPC, subnets,
 *   gateway and bucket. The security groups keep Keel's unique prefixes, not
 *   nora-rds-sg and nora-apprunner-sg: a group's description cannot change in
 *   place, so adopting the seed's groups would replace them; Keel's groups
 *   are created beside them and the old ones are deleted after the switch.
 * ⚑ SSE-S3 (AES256) as the seed says, with a dated suppression of
 *   s3-kms-encryption; Keel's default would be its KMS key.
 * ⚠ The seed gives no engine version, storage or backups: PostgreSQL 16.11,
 *   20-100 GB gp3, 7-day backups at 03:00-04:00 (Keel's defaults). The
 *   image tag, size and scaling are Keel's too.
 */
const nora: EnvironmentConfig = {
  name: "nora",
  accountId: "059364397483",
  region: "us-east-1",
  tags: { owner: "nora", costCenter: "nora", dataClassification: "restricted" },
  protection: "production",
  // Seed 000's names: nora-<name>, the audio bucket nora-audio-<account> (see the naming note).
  naming: {
    pattern: "{environment}-{name}",
    globalPattern: "{environment}-{name}-{account}",
    names: {
      "ec2Name:vpc": "nora-vpc",
      "ec2Name:public-us-east-1a": "nora-public-1a",
      "ec2Name:public-us-east-1b": "nora-public-1b",
      "ec2Name:private-us-east-1a": "nora-private-1a",
      "ec2Name:private-us-east-1b": "nora-private-1b",
    },
  },
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnetGroupTier: "private",
    enableNatGateway: true,
    singleNatGateway: true,
  },
  security: {
    secrets: [
      { name: "jwt-secret", description: "JWT signing secret of the Nora API, set by the team" },
      // The team rotates third-party keys in their consoles; the JWT secret has no rotation, and keel check says so.
      { name: "anthropic-api-key", description: "Anthropic API key, from the Anthropic console", rotatedAtSource: "Issued and revoked in the Anthropic console; the team pastes the new key here" },
      { name: "elevenlabs-api-key", description: "ElevenLabs API key, from the ElevenLabs console", rotatedAtSource: "Issued and revoked in the ElevenLabs console; the team pastes the new key here" },
    ],
  },
  rds: {
    engineVersion: "16.11",
    instanceClass: "db.t3.small",
    multiAz: true,
    databaseName: "nora",
    masterUsername: "nora_admin",
  },
  buckets: {
    // s3://.../audio/{userId}/{sessionId}.webm, read through 7-day signed URLs.
    audio: {
      encryption: "s3-managed",
      lifecycleRules: [{ id: "expire-recordings", expirationDays: 90, noncurrentVersionExpirationDays: 90 }],
    },
  },
  // Phase 5: "ECR Repository (container registry)" for the App Runner service.
  ecr: { repositories: ["nora"] },
  apprunner: {
    api: {
      repository: "nora",
      imageTag: "phase-5",
      deployedBy: "ci",
      port: 8080,
      size: { cpu: "1024", memory: "2048" },
      autoScaling: { minSize: 1, maxSize: 3, maxConcurrency: 100 },
      healthCheck: { protocol: "HTTP", path: "/health" },
      secrets: {
        DATABASE_CREDENTIALS: "rds",
        JWT_SECRET: "jwt-secret",
        ANTHROPIC_API_KEY: "anthropic-api-key",
        ELEVENLABS_API_KEY: "elevenlabs-api-key",
      },
      vpc: { subnets: "private" },
      connectsToDatabase: "rds",
      grants: { buckets: { audio: "read-write" } },
    },
  },
  // Keel's daily continuous backup of the database and the recordings, 35 days, in a locked vault.
  backup: {},
  suppressions: [
    {
      resource: "aws_s3_bucket.buckets_audio",
      rule: "s3-kms-encryption",
      reason: "Seed 000 encrypts the audio bucket with SSE-S3 (AES256) by design; review when the team adopts a KMS key",
      expires: "2027-05-31",
    },
  ],
};

export default nora;
