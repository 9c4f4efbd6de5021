/**
 * The resource types an environment can adopt (`adopt` in its config), and
 * the id each one's Terraform import takes, from the AWS provider's docs
 * ("Import" section of each resource). Provider-free: config validation
 * checks an id's shape before synth, and `keel adopt` reads which types it
 * can look up.
 */
export interface ImportId {
  /** What the id is, as the provider's docs name it. */
  readonly what: string;
  /** Its shape; an id that does not match is a config error. */
  readonly pattern: RegExp;
  /** An example, for the error message. */
  readonly example: string;
}

const arn = (service: string, resource: string): RegExp => new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:${resource}$`);
const NAME = /^[\w.+=,@/-]{1,255}$/;

export const IMPORT_IDS: Readonly<Record<string, ImportId>> = {
  aws_s3_bucket: { what: "the bucket name", pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, example: "nora-audio-059364397483" },
  aws_db_instance: { what: "the DB instance identifier", pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, example: "startupwebapp-multi-tenant-prod" },
  aws_rds_cluster: { what: "the DB cluster identifier", pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, example: "omnirapeutic-production" },
  aws_rds_cluster_instance: { what: "the DB instance identifier", pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, example: "omnirapeutic-production-writer" },
  aws_db_subnet_group: { what: "the subnet group name", pattern: /^[a-z0-9 ._-]{1,255}$/, example: "nora-db-subnets" },
  aws_db_parameter_group: { what: "the parameter group name", pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,254}$/, example: "nora-postgres16" },
  aws_rds_cluster_parameter_group: { what: "the cluster parameter group name", pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,254}$/, example: "omnirapeutic-production-pg16" },
  aws_cloudwatch_log_group: { what: "the log group name", pattern: /^[.\-_/#A-Za-z0-9]{1,512}$/, example: "/aws/rds/cluster/omnirapeutic-production/postgresql" },
  aws_ecr_repository: { what: "the repository name", pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, example: "nora-api" },
  aws_iam_role: { what: "the role name", pattern: /^[\w+=,.@-]{1,64}$/, example: "nora-apprunner-instance" },
  aws_iam_policy: { what: "the policy ARN", pattern: /^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]+$/, example: "arn:aws:iam::059364397483:policy/nora-connect" },
  aws_sqs_queue: { what: "the queue URL", pattern: /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/[\w-]{1,80}$/, example: "https://sqs.us-east-1.amazonaws.com/741783034843/outreachpass-dev-queue" },
  aws_sns_topic: { what: "the topic ARN", pattern: arn("sns", "[\\w-]{1,256}"), example: "arn:aws:sns:us-east-1:706704660887:mentalspace-ehr-alerts" },
  aws_secretsmanager_secret: { what: "the secret ARN (with its six-character suffix)", pattern: arn("secretsmanager", "secret:[\\w/+=.@-]+-[A-Za-z0-9]{6}"), example: "arn:aws:secretsmanager:us-east-1:706704660887:secret:mentalspace-ehr-db-credentials-al4fLD" },
  aws_lb: { what: "the load balancer ARN", pattern: arn("elasticloadbalancing", "loadbalancer/(app|net)/[\\w-]{1,32}/[0-9a-f]{16}"), example: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/omnirapeutic-production-alb/50dc6c495c0c9188" },
  aws_lb_target_group: { what: "the target group ARN", pattern: arn("elasticloadbalancing", "targetgroup/[\\w-]{1,32}/[0-9a-f]{16}"), example: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/omnirapeutic-production-api/0123456789abcdef" },
  aws_vpc: { what: "the VPC id", pattern: /^vpc-[0-9a-f]{8,17}$/, example: "vpc-0efa6ad4007e9573b" },
  aws_subnet: { what: "the subnet id", pattern: /^subnet-[0-9a-f]{8,17}$/, example: "subnet-0efbc747bd1d3ba95" },
  aws_internet_gateway: { what: "the internet gateway id", pattern: /^igw-[0-9a-f]{8,17}$/, example: "igw-0123456789abcdef0" },
  aws_security_group: { what: "the security group id", pattern: /^sg-[0-9a-f]{8,17}$/, example: "sg-0f302445ddfce40f3" },
  aws_kms_key: { what: "the key id", pattern: /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, example: "1234abcd-12ab-34cd-56ef-1234567890ab" },
  aws_kms_alias: { what: "the alias name, with alias/", pattern: /^alias\/[A-Za-z0-9/_-]{1,250}$/, example: "alias/nora-storage" },
  aws_ecs_cluster: { what: "the cluster name", pattern: /^[A-Za-z0-9_-]{1,255}$/, example: "omnirapeutic-production" },
  aws_ecs_service: { what: "<cluster name>/<service name>", pattern: /^[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/, example: "omnirapeutic-production/omnirapeutic-production-api" },
  aws_lambda_function: { what: "the function name", pattern: /^[A-Za-z0-9_-]{1,64}$/, example: "outreachpass-dev-backend" },
  aws_cognito_user_pool: { what: "the user pool id", pattern: /^[a-z]{2}-[a-z]+-\d_[0-9A-Za-z]+$/, example: "us-east-1_AbCdEf123" },
  aws_dynamodb_table: { what: "the table name", pattern: /^[A-Za-z0-9_.-]{3,255}$/, example: "outreachpass-sessions" },
  aws_cloudwatch_metric_alarm: { what: "the alarm name", pattern: NAME, example: "omnirapeutic-production-alb-5xx" },
};

/** What is wrong with `id` as the import id of a `type` resource, or undefined. */
export function importIdProblem(type: string, id: string): string | undefined {
  const format = IMPORT_IDS[type];
  if (format === undefined) return `a resource of a type Keel can adopt: ${Object.keys(IMPORT_IDS).join(", ")}`;
  if (!format.pattern.test(id)) return `${format.what} (${type}), e.g. ${format.example}`;
  return undefined;
}
