import { EnvironmentConfig } from "../../environments/lib/types";
import { APPLICATION_SECRETS } from "./project";

/**
 * A cheaper two-AZ copy for day-to-day work; holds no real patient data. One
 * NAT gateway, isolated data subnets (seed 002's layout), so the bastion
 * lives in a private subnet, and short retention.
 */
const dev: EnvironmentConfig = {
  name: "dev",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "engineering", dataClassification: "internal" },
  protection: "disposable",
  network: {
    cidr: "10.10.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.10.1.0/24", "10.10.2.0/24"],
    privateSubnets: ["10.10.11.0/24", "10.10.12.0/24"],
    databaseSubnets: ["10.10.21.0/24", "10.10.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true,
    flowLogRetentionInDays: 30,
  },
  security: { secrets: APPLICATION_SECRETS },
  aurora: { engineVersion: "15.10", backupRetentionPeriod: 1, logRetentionInDays: 7 },
  bastion: { subnetTier: "private", sessionLogRetentionInDays: 30 },
  ecr: { repositories: ["nginx"], keepTaggedImages: 10 },
  ecs: {
    execLogRetentionInDays: 30,
    services: {
      // Seed 003's test service: 2 tasks, 0.25 vCPU, 512 MB. The image is nginx-unprivileged
      // (listens on 8080 as uid 101), mirrored into the repository.
      nginx: {
        imageTag: "1.27-alpine",
        cpu: 256,
        memory: 512,
        desiredCount: 2,
        containerPort: 8080,
        user: "101:101",
        healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/ > /dev/null || exit 1"] },
        logRetentionInDays: 7,
      },
    },
  },
  alb: { routes: [{ service: "nginx", healthCheckPath: "/" }], accessLogRetentionDays: 30 },
  waf: { logRetentionInDays: 30 },
  alarms: {}, // the topic and alarms, no subscriber: dev pages nobody
};

export default dev;
