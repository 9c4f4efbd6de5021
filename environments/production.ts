import { EnvironmentConfig } from "./lib/types";
import { ACCOUNT_ID, ALARM_EMAILS, APPLICATION_SECRETS, REGION } from "./project";

/**
 * The production platform: three AZs, a NAT gateway per AZ, Aurora with
 * pgAudit, three ECS services behind the load balancer and WAF, and every
 * alarm paging ALARM_EMAILS. It starts as Keel's reference platform
 * (examples/omnirapeutic); make it yours.
 */
const production: EnvironmentConfig = {
  name: "production",
  accountId: ACCOUNT_ID,
  region: REGION,
  tags: { costCenter: "clinical-platform", dataClassification: "restricted" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
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
  },
  bastion: {}, // in a data subnet: the module's defaults
  ecr: { repositories: ["api", "web", "worker"] },
  ecs: {
    // 0.5 vCPU (512 units) and 1024 MB each; 2 api, 2 web, 1 worker. CI pushes the image tag first.
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
  // /api/* to api (health /health), everything else to web (health /). HTTP only until a
  // certificate exists: set certificateArn and 80 redirects to 443.
  alb: {
    routes: [
      { service: "api", healthCheckPath: "/health", pathPatterns: ["/api/*"] },
      { service: "web", healthCheckPath: "/" },
    ],
  },
  waf: {}, // Common, Known Bad Inputs, SQL injection, then 2000 requests per 5 minutes per IP
  // Every alarm group for what this file turns on (more in the account stack), paging ALARM_EMAILS.
  alarms: { emails: ALARM_EMAILS },
  // AWS Backup of the database: daily, continuous for point-in-time restore, 35 days, in a vault
  // locked in compliance mode (README "Backups and restores"). Failed jobs page ALARM_EMAILS.
  backup: {},
  // What `keel check` reports and this environment accepts, with the reason and, for errors, the
  // date by which it must be fixed or looked at again (a production synth fails after it).
  suppressions: [
    {
      resource: "aws_lb_listener.alb_http",
      rule: "alb-https-listener",
      reason: "HTTP until the certificate exists; set alb.certificateArn and delete this before any PHI arrives",
      expires: "2027-05-31",
    },
    {
      resource: "aws_rds_cluster.aurora",
      rule: "rds-multi-az",
      reason: "One Serverless v2 writer (0.5-1 ACU); Aurora replaces a failed writer in minutes, and storage is six-way replicated across three AZs",
    },
  ],
};

export default production;
