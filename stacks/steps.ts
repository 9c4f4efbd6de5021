import { ExistingNetwork } from "../modules/network";
import { Vpc } from "../modules/vpc";
import { Aurora } from "../modules/aurora";
import { Bastion } from "../modules/bastion";
import { NETWORK_BRANCH_KEY } from "../environments/lib/schema";
import type { ExistingNetworkConfig, NetworkConfig, VpcConfig } from "../environments";
import { AnyStep, Platform, step } from "./platform";
import { albStep, bucketsStep, ecrStep, ecsStep, wafStep } from "./compute-steps";
import { alarmsStep, backupStep } from "./alarm-steps";
import { apiStep, authStep, cdnStep, dnsStep } from "./edge-steps";
import { apprunnerStep, emailStep, functionsStep, queuesStep, rdsStep } from "./workload-steps";

const isExisting = (config: NetworkConfig): config is ExistingNetworkConfig => NETWORK_BRANCH_KEY in config;

/** `network`: a VPC Keel creates (module `vpc`), or an existing one given by ids (module `network`). */
export const networkStep = step({
  section: "network",
  build(p, config) {
    if (isExisting(config)) {
      p.network = new ExistingNetwork(p.stack, "network", config);
    } else {
      p.vpc = new Vpc(p.stack, "vpc", {
        ...(config as VpcConfig),
        flowLogKmsKeyArn: p.security.logsKey.keyArn,
        protection: p.protection,
      });
      p.network = p.vpc;
    }
  },
  outputs(p) {
    const network = p.network;
    if (network === undefined) return;
    p.stack.output("vpc-id", network.vpcId, "ID of the VPC");
    p.stack.output("public-subnet-ids", network.subnetIds("public"), "IDs of the public subnets, in AZ order");
    p.stack.output("private-subnet-ids", network.subnetIds("private"), "IDs of the private (application) subnets, in AZ order");
    p.stack.output("database-subnet-ids", network.subnetIds("database"), "IDs of the data subnets, in AZ order");
    p.stack.output("database-subnet-group-name", network.databaseSubnetGroupName ?? "", "Name of the DB subnet group over the data subnets");
    const vpc = p.vpc;
    if (vpc === undefined) return;
    p.stack.output("public-route-table-ids", vpc.publicRouteTableIds, "IDs of the public route tables");
    p.stack.output("private-route-table-ids", vpc.privateRouteTableIds, "IDs of the private route tables, one per AZ");
    p.stack.output("database-route-table-ids", vpc.databaseRouteTableIds, "IDs of the data route tables, one per AZ");
    p.stack.output("nat-gateway-ids", vpc.natGatewayIds, "IDs of the NAT gateways");
    if (vpc.internetGatewayId !== undefined) p.stack.output("internet-gateway-id", vpc.internetGatewayId, "ID of the internet gateway");
  },
});

/** `aurora`: Aurora PostgreSQL Serverless v2 in the network's data subnets, with the environment's keys. */
export const auroraStep = step({
  section: "aurora",
  build(p, config) {
    p.aurora = new Aurora(p.stack, "aurora", {
      ...config,
      network: p.requireNetwork("aurora", "the cluster lives in its database subnets"),
      storageKmsKeyArn: p.security.databaseKey.keyArn,
      secretKmsKeyArn: p.security.secretsKey.keyArn,
      logKmsKeyArn: p.security.logsKey.keyArn,
      protection: p.protection,
    });
  },
  outputs(p) {
    const aurora = p.aurora;
    if (aurora === undefined) return;
    p.stack.output("aurora-cluster-endpoint", aurora.clusterEndpoint, "Writer endpoint of the Aurora cluster");
    p.stack.output("aurora-reader-endpoint", aurora.clusterReaderEndpoint, "Reader endpoint of the Aurora cluster");
    p.stack.output("aurora-port", aurora.clusterPort, "PostgreSQL port");
    p.stack.output(
      "aurora-master-user-secret-arn",
      aurora.masterUserSecretArn,
      "ARN of the RDS-managed secret holding the master password (the ARN, not the value)",
    );
    p.stack.output("aurora-security-group-id", aurora.securityGroupId, "Security group of the Aurora cluster");
    const restored = aurora.restoredCluster;
    if (restored !== undefined) {
      p.stack.output("aurora-restored-endpoint", restored.endpoint, "Writer endpoint of the cluster restored beside the original (aurora.restore; keel db-shell --restored)");
      p.stack.output("aurora-restored-master-user-secret-arn", restored.masterUserSecret.get(0).secretArn, "ARN of the restored cluster's master secret (the ARN, not the value)");
    }
  },
});

/** `bastion`: a Session Manager bastion; allowed PostgreSQL into Aurora when there is one. */
export const bastionStep = step({
  section: "bastion",
  build(p, config) {
    p.bastion = new Bastion(p.stack, "bastion", {
      ...config,
      network: p.requireNetwork("bastion", "the bastion lives in one of its subnets"),
      volumeKmsKeyArn: p.security.logsKey.keyArn,
      logKmsKeyArn: p.security.logsKey.keyArn,
      protection: p.protection,
    });
    p.aurora?.allowFrom(p.bastion);
    p.rds?.allowFrom(p.bastion);
    // Operators reach the databases from their laptops through the bastion (keel db-shell).
    if (p.aurora !== undefined) p.bastion.allowTunnelTo(p.aurora);
    if (p.rds !== undefined) p.bastion.allowTunnelTo(p.rds);
  },
  outputs(p) {
    const bastion = p.bastion;
    if (bastion === undefined) return;
    p.stack.output("bastion-instance-id", bastion.instanceId, "Instance ID of the bastion (aws ssm start-session --target)");
    p.stack.output("bastion-session-document", bastion.sessionDocumentName, "Session Manager document that logs sessions (--document-name)");
    const tunnel = bastion.tunnelDocumentName;
    if (tunnel !== undefined) p.stack.output("bastion-tunnel-document", tunnel, "Session Manager document that forwards a local port to the databases only (keel db-shell)");
    p.stack.output(
      "bastion-connect-policy-arn",
      bastion.connectPolicyArn,
      "Managed policy for operators: sessions on the bastion only through the logging document (attach to their role or permission set)",
    );
  },
});

/** Keys and secrets exist in every environment; their outputs list what the steps asked for. */
export function securityOutputs(p: Platform): void {
  const keys = p.security.createdKeys;
  if (keys.size > 0) {
    const arns = Object.fromEntries([...keys].sort(([a], [b]) => a.localeCompare(b)).map(([purpose, key]) => [purpose, key.keyArn]));
    p.stack.output("kms-key-arns", arns, "ARNs of the environment's KMS keys, by purpose");
  }
  if (p.security.secrets.size > 0) {
    p.stack.output(
      "secret-arns",
      Object.fromEntries([...p.security.secrets].map(([name, secret]) => [name, secret.secretArn])),
      "ARNs of the application secrets (created empty; set values outside Terraform)",
    );
  }
}

/**
 * The steps, in dependency order: a step may use what earlier steps built.
 * A new module adds its step here.
 */
export const STEPS: readonly AnyStep[] = [
  networkStep,
  auroraStep,
  rdsStep,
  bastionStep,
  bucketsStep,
  dnsStep,
  authStep,
  cdnStep,
  ecrStep,
  queuesStep,
  emailStep,
  functionsStep,
  apiStep,
  apprunnerStep,
  ecsStep,
  albStep,
  wafStep,
  alarmsStep,
  backupStep,
];
