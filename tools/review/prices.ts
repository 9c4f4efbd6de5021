/**
 * Keel's price table: us-east-1, on-demand, USD, without free tiers.
 * Reviewed 2026-11-22 against each service's public pricing page, named per
 * price. A month is 730 hours. Versioned in the repository so an estimate is
 * reproducible, and `keel cost --compare` prices two commits alike.
 */
export const PRICE_TABLE_REVIEWED = "2026-11-22";
export const HOURS_PER_MONTH = 730;

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

const RDS = "https://aws.amazon.com/rds/aurora/pricing/";
const RDS_PG = "https://aws.amazon.com/rds/postgresql/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const FARGATE = "https://aws.amazon.com/fargate/pricing/";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const CW = "https://aws.amazon.com/cloudwatch/pricing/";
const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const EBS = "https://aws.amazon.com/ebs/pricing/";

export const PRICES = {
  auroraAcuHour: { usd: 0.12, unit: "ACU-hour (Aurora Standard, Serverless v2)", source: RDS },
  auroraStorageGbMonth: { usd: 0.1, unit: "GB-month", source: RDS },
  auroraIoMillion: { usd: 0.2, unit: "million I/O requests", source: RDS },
  rdsGp3GbMonth: { usd: 0.115, unit: "GB-month (gp3, Single-AZ)", source: RDS_PG },
  natGatewayHour: { usd: 0.045, unit: "NAT gateway-hour", source: VPC },
  natGatewayGb: { usd: 0.045, unit: "GB processed", source: VPC },
  publicIpv4Hour: { usd: 0.005, unit: "public IPv4 address-hour", source: VPC },
  interfaceEndpointHour: { usd: 0.01, unit: "interface endpoint-hour per AZ", source: "https://aws.amazon.com/privatelink/pricing/" },
  fargateVcpuHour: { usd: 0.04048, unit: "vCPU-hour (Linux, x86)", source: FARGATE },
  fargateGbHour: { usd: 0.004445, unit: "GB-hour (Linux, x86)", source: FARGATE },
  albHour: { usd: 0.0225, unit: "ALB-hour", source: ELB },
  albLcuHour: { usd: 0.008, unit: "LCU-hour", source: ELB },
  wafWebAclMonth: { usd: 5, unit: "web ACL-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRuleMonth: { usd: 1, unit: "rule or rule group-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRequestsMillion: { usd: 0.6, unit: "million requests", source: "https://aws.amazon.com/waf/pricing/" },
  kmsKeyMonth: { usd: 1, unit: "customer-managed key-month", source: "https://aws.amazon.com/kms/pricing/" },
  secretMonth: { usd: 0.4, unit: "secret-month", source: "https://aws.amazon.com/secrets-manager/pricing/" },
  alarmMetricMonth: { usd: 0.1, unit: "standard-resolution alarm metric-month", source: CW },
  dashboardMonth: { usd: 3, unit: "dashboard-month", source: CW },
  customMetricMonth: { usd: 0.3, unit: "custom metric-month", source: CW },
  logsIngestGb: { usd: 0.5, unit: "GB ingested", source: CW },
  logsStoreGbMonth: { usd: 0.03, unit: "GB-month archived", source: CW },
  s3StandardGbMonth: { usd: 0.023, unit: "GB-month (S3 Standard)", source: "https://aws.amazon.com/s3/pricing/" },
  ecrGbMonth: { usd: 0.1, unit: "GB-month", source: "https://aws.amazon.com/ecr/pricing/" },
  gp3GbMonth: { usd: 0.08, unit: "GB-month (EBS gp3)", source: EBS },
  configItem: { usd: 0.003, unit: "configuration item recorded", source: "https://aws.amazon.com/config/pricing/" },
  configRuleEvaluation: { usd: 0.001, unit: "conformance pack rule evaluation", source: "https://aws.amazon.com/config/pricing/" },
  guardDutyEventsMillion: { usd: 4, unit: "million CloudTrail management events analysed", source: "https://aws.amazon.com/guardduty/pricing/" },
  guardDutyLogsGb: { usd: 1, unit: "GB of VPC flow and DNS logs analysed", source: "https://aws.amazon.com/guardduty/pricing/" },
  guardDutyFargateVcpuMonth: { usd: 1.5, unit: "Fargate vCPU-month (runtime monitoring)", source: "https://aws.amazon.com/guardduty/pricing/" },
  cloudTrailDataEventsHundredThousand: { usd: 0.1, unit: "100,000 data events", source: "https://aws.amazon.com/cloudtrail/pricing/" },
  dynamodbWriteMillion: { usd: 0.625, unit: "million write request units (on-demand)", source: "https://aws.amazon.com/dynamodb/pricing/on-demand/" },
  backupStorageGbMonth: { usd: 0.095, unit: "GB-month of AWS Backup warm storage (RDS snapshots and continuous backups, the dearest of Keel's stores; Aurora is $0.021, S3 $0.05)", source: "https://aws.amazon.com/backup/pricing/" },
  snsPublishMillion: { usd: 0.5, unit: "million publishes", source: "https://aws.amazon.com/sns/pricing/" },
  cloudFrontGb: { usd: 0.085, unit: "GB out to the internet (North America and Europe, first 10 TB)", source: "https://aws.amazon.com/cloudfront/pricing/" },
  cloudFrontHttpsMillion: { usd: 1, unit: "million HTTPS requests (North America and Europe)", source: "https://aws.amazon.com/cloudfront/pricing/" },
  cloudFrontFunctionMillion: { usd: 0.1, unit: "million CloudFront Functions invocations", source: "https://aws.amazon.com/cloudfront/pricing/" },
  vendedLogsS3Gb: { usd: 0.25, unit: "GB of vended logs delivered to S3", source: CW },
  restApiMillion: { usd: 3.5, unit: "million REST API calls (first 333M)", source: "https://aws.amazon.com/api-gateway/pricing/" },
  httpApiMillion: { usd: 1, unit: "million HTTP API calls (first 300M)", source: "https://aws.amazon.com/api-gateway/pricing/" },
  cognitoEssentialsMau: { usd: 0.015, unit: "monthly active user above 10,000 (Essentials)", source: "https://aws.amazon.com/cognito/pricing/" },
  cognitoPlusMau: { usd: 0.02, unit: "monthly active user (Plus)", source: "https://aws.amazon.com/cognito/pricing/" },
  lambdaRequestMillion: { usd: 0.2, unit: "million Lambda requests", source: "https://aws.amazon.com/lambda/pricing/" },
  lambdaGbSecond: { usd: 0.0000166667, unit: "GB-second (x86)", source: "https://aws.amazon.com/lambda/pricing/" },
  sqsRequestMillion: { usd: 0.4, unit: "million SQS requests (standard)", source: "https://aws.amazon.com/sqs/pricing/" },
  sesEmailThousand: { usd: 0.1, unit: "1,000 emails sent", source: "https://aws.amazon.com/ses/pricing/" },
  appRunnerVcpuHour: { usd: 0.064, unit: "active vCPU-hour", source: "https://aws.amazon.com/apprunner/pricing/" },
  appRunnerGbHour: { usd: 0.007, unit: "GB-hour (provisioned or active)", source: "https://aws.amazon.com/apprunner/pricing/" },
} as const satisfies Record<string, Price>;

/** Hourly on-demand prices of the instance classes Keel's modules may create (Linux). */
export const INSTANCE_HOUR: Readonly<Record<string, number>> = {
  "t3.nano": 0.0052,
  "t3.micro": 0.0104,
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "t3a.micro": 0.0094,
  "t3a.small": 0.0188,
  "t4g.nano": 0.0042,
  "t4g.micro": 0.0084,
  "t4g.small": 0.0168,
  "t4g.medium": 0.0336,
  "db.t3.micro": 0.017,
  "db.t3.small": 0.034,
  "db.t3.medium": 0.068,
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
};
export const INSTANCE_SOURCE = `${EC2} and ${RDS_PG}`;
