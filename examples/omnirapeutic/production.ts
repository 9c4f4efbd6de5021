import { EnvironmentConfig } from "../../environments/lib/types";
import { APPLICATION_SECRETS } from "./project";

/**
 * Seed 003's production platform. Its numbers are the seed's; the retention
 * days and pgAudit classes are Keel's choices (the seed gives none).
 *
 * ⚑ Names are the seed's (naming): omnirapeutic-production-<name>, the
 *   cluster omnirapeutic-production (without Keel's -aurora) and so
 *   /aws/rds/cluster/omnirapeutic-production/postgresql, the ALB
 *   omnirapeutic-production-alb, /ecs/omnirapeutic-production/{api,web,worker},
 *   /aws/vpc/omnirapeutic-production-flow-logs and
 *   /aws/ssm/omnirapeutic-production-bastion-sessions. The namespace (the
 *   Project tag) stays keel: this is Keel's reference platform. The seed's
 *   /aws/cloudtrail/omnirapeutic-production is not this stack's: Keel's trail
 *   is the account's (one multi-region trail in the account stack, named after
 *   it), so that log group is left to the old owner or adopted there by hand.
 * ⚑ The master user is omniadmin, not the seed's `admin`: Aurora PostgreSQL
 *   refuses admin as a reserved word (CreateDBCluster: "MasterUsername admin
 *   cannot be used as it is a reserved word used by the engine"), and so does
 *   Keel, before synth. The seed's psql command becomes
 *   `psql -h <aurora-endpoint> -U omniadmin -d omnirapeutic`.
 * ⚑ Keel's choices, not the seed's: engine 15.10, 0.5-1 ACU, retention
 *   days, pgAudit classes, image tags, ports and health checks.
 * ⚑ The seed's ECS and bastion groups allow "0.0.0.0/0 → All" out. Keel
 *   allows HTTPS (TCP 443) out, which is all the seed's services name (ECR,
 *   Secrets Manager, CloudWatch, SSM and HTTPS APIs); any other port is an
 *   `egress` rule with its reason (modules/network/egress.ts), and every
 *   protocol to anywhere needs a 20-character reason. A HIPAA platform
 *   should not open every port without one.
 */
const production: EnvironmentConfig = {
  name: "production",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "clinical-platform", dataClassification: "restricted" },
  protection: "production",
  // Seed 003's names: omnirapeutic-production-<name> (the ALB omnirapeutic-production-alb, the log groups
  // /ecs/omnirapeutic-production/<service>), and the cluster omnirapeutic-production, without Keel's -aurora.
  naming: {
    pattern: "omnirapeutic-{environment}-{name}",
    globalPattern: "omnirapeutic-{environment}-{name}-{account}-{region}",
    names: { "dbCluster:aurora": "omnirapeutic-production" },
  },
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
    enableNatGateway: true, // one per AZ
    createDatabaseNatGatewayRoute: true, // the data tier is not isolated: NAT of its own AZ
  },
  security: { secrets: APPLICATION_SECRETS },
  aurora: {
    engineVersion: "15.10",
    minCapacity: 0.5,
    maxCapacity: 1.0,
    logRetentionInDays: 90,
    pgauditLog: ["ddl", "role", "write"],
    // The seed's `psql -U admin -d omnirapeutic`, and its writer drawn in us-east-1a.
    databaseName: "omnirapeutic",
    masterUsername: "omniadmin",
    writerAvailabilityZone: "us-east-1a",
  },
  bastion: {}, // in a data subnet: the module's defaults
  ecr: { repositories: ["api", "web", "worker"] },
  ecs: {
    // Seed 003's services: 0.5 vCPU (512 units) and 1024 MB each; 2 api, 2 web, 1 worker.
    // Ports, health checks and image tags are Keel's (the seed gives none): CI pushes the tag first.
    services: {
      api: {
        imageTag: "2026.11.0",
        cpu: 512,
        memory: 1024,
        desiredCount: 2,
        containerPort: 8080,
        healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/health > /dev/null || exit 1"] },
        secrets: { API_KEYS: "api-keys" },
        connectsToDatabase: true,
        taskGrants: { databaseUser: "api" },
        deployedBy: "ci",
      },
      web: {
        imageTag: "2026.11.0",
        cpu: 512,
        memory: 1024,
        desiredCount: 2,
        containerPort: 8080,
        healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/ > /dev/null || exit 1"] },
        secrets: { SESSION_SIGNING_KEY: "session-signing-key" },
        deployedBy: "ci",
      },
      worker: {
        imageTag: "2026.11.0",
        cpu: 512,
        memory: 1024,
        desiredCount: 1,
        // No port and no load balancer: the worker touches a heartbeat file in /tmp.
        healthCheck: { command: ["CMD-SHELL", "find /tmp/heartbeat -mmin -2 | grep -q . || exit 1"] },
        connectsToDatabase: true,
        taskGrants: { databaseUser: "worker" },
        deployedBy: "ci",
      },
    },
  },
  // Seed 003: /api/* to api (health /health), everything else to web (health /). HTTP only until a
  // certificate exists: set certificateArn and 80 redirects to 443.
  alb: {
    routes: [
      { service: "api", healthCheckPath: "/health", pathPatterns: ["/api/*"] },
      { service: "web", healthCheckPath: "/" },
    ],
  },
  waf: {}, // seed 003: Common, Known Bad Inputs, SQL injection, then 2000 requests per 5 minutes per IP
  // Seed 003's 21 alarms (17 here, 4 in the account stack), thresholds from seeds 001 and 004.
  alarms: { emails: ["platform-alerts@example.com"] },
  // HIPAA's contingency plan: Aurora backed up daily, continuously for point-in-time restore,
  // 35 days, in a vault locked in compliance mode (the production profile). Failed jobs alarm.
  backup: {},
  // What `keel check` reports and this environment accepts, with the reason and, for errors, the
  // date by which it must be fixed or looked at again (a production synth fails after it).
  suppressions: [
    {
      resource: "aws_lb_listener.alb_http",
      rule: "alb-https-listener",
      reason: "Seed 003 serves HTTP until its certificate exists (HTTPS is 'future'); set alb.certificateArn and delete this before any PHI arrives",
      expires: "2027-05-31",
    },
    {
      resource: "aws_rds_cluster.aurora",
      rule: "rds-multi-az",
      reason: "Seed 003 runs one Serverless v2 writer (0.5-1 ACU); Aurora replaces a failed writer in minutes, and storage is six-way replicated across three AZs",
    },
  ],
};

export default production;
