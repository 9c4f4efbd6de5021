import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 001, StartupWebApp: a 2-AZ VPC, 10.0.0.0/16, public 10.0.1.0/24 and
 * 10.0.2.0/24, private 10.0.10.0/24 and 10.0.11.0/24 holding the DB subnet
 * group, and the optional single NAT gateway (in public subnet 1) turned on.
 * The multi-tenant RDS PostgreSQL 16 instance: db.t4g.small, 20 GB gp3
 * growing to 100 GB, 7-day backups at 03:00-04:00 UTC, Enhanced Monitoring
 * every 60 s, Performance Insights 7 days, TLS required, deletion
 * protection from the production profile. The SNS topic with the seed's
 * email, its four alarms (CPU > 70% for 10 minutes, connections > 80 for 10
 * minutes, free storage < 2 GiB, freeable memory < 500 MiB for 10 minutes)
 * and the 6-widget dashboard. The seed names no account: it shares the
 * state account.
 *
 * ⚑ The seed's bastion security group admits SSH from the operator's IP;
 *   Keel's bastion is Session Manager only, with no ingress at all, and is
 *   allowed PostgreSQL to the instance.
 * ⚑ The seed's secret `rds/startupwebapp/multi-tenant/master` holds a
 *   generated password (which Terraform would keep in state): RDS manages
 *   the master password in its own secret instead; its ARN is an output.
 * ⚑ "Free storage < 2 GB" gives no period: 2 x 5 minutes, like the others.
 *   GB and MB are read as GiB and MiB.
 * ⚑ Only the seed's four alarms: the NAT and flow-log alarm groups are off
 *   (alarms.groups), so the dashboard has exactly its six widgets.
 * ⚠ Multi-AZ is not stated; the seed's $26/month is a single-AZ price.
 *   The identifier is Keel's (example-startupwebapp-rds), not
 *   startupwebapp-multi-tenant-prod. The three databases and the django_app
 *   user are made in PostgreSQL (SQL over Session Manager), not by Terraform.
 */
const startupwebapp: EnvironmentConfig = {
  name: "startupwebapp",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "startupwebapp", costCenter: "startupwebapp", dataClassification: "confidential" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnetGroupTier: "private",
    enableNatGateway: true,
    singleNatGateway: true,
  },
  rds: {
    engineVersion: "16.11",
    instanceClass: "db.t4g.small",
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    multiAz: false,
    backupRetentionPeriod: 7,
    preferredBackupWindow: "03:00-04:00",
    monitoringInterval: 60,
    performanceInsightsRetentionPeriod: 7,
    databaseName: "startupwebapp_prod",
    masterUsername: "django_app",
  },
  bastion: { subnetTier: "private" },
  alarms: {
    emails: ["bart@mosaicmeshai.com"],
    groups: ["rds"],
    thresholds: { rdsCpuPercent: 70, rdsConnections: 80, rdsFreeStorageGiB: 2, rdsFreeableMemoryMiB: 500 },
  },
};

export default startupwebapp;
