import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Whether the database can be reached now: the Session Manager bastion and
 * the three interface endpoints it talks to Session Manager through. Off,
 * the environment keeps the seed's no-NAT layout and costs nothing more;
 * turn it on for a session (`npx keel plan` shows exactly those resources),
 * then off again. `keel cost` (StartupWebApp, 2 AZs):
 * - off (the seed's no-NAT default): the instance alone;
 * - on demand: + $0.06 an hour while on (six endpoint-AZs at $0.01) and the
 *   bastion's t3.micro ($0.0104): a 2-hour session a week is under $1 a month;
 * - always on, endpoints: + $43.80 (endpoints) + $8.23 (bastion) = $52.03;
 * - always on, one NAT: + $32.85 (NAT) + $3.65 (its address) + $8.23 = $44.73,
 *   and every private subnet gets internet egress the seed never wanted.
 * The example takes on demand: the seed is cost-optimized and reaches its
 * database rarely (migrations, a manual fix).
 */
export const DATABASE_ACCESS = false;

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
 *   allowed PostgreSQL to the instance. It lives in a private subnet and
 *   reaches Session Manager through interface endpoints, so the seed's
 *   no-NAT layout stays; it exists only while DATABASE_ACCESS is on (above).
 *   Adding the NAT later (enableNatGateway, singleNatGateway) adds only its
 *   address, the gateway and the private subnets' default routes.
 * ⚑ "Backend SG: ready for backend services": rds.clientGroups.backend, a
 *   group allowed PostgreSQL to the instance and HTTPS out, whose id is the
 *   output rds-client-security-group-ids. The seed's backend also sends SMTP
 *   ("Stripe API, SMTP"): its port is an egress rule with its reason.
 * ⚑ The seed's secret `rds/startupwebapp/multi-tenant/master` holds a
 *   generated password (which Terraform would keep in state): RDS manages
 *   the master password in its own secret instead; its ARN is an output.
 * ⚑ "Free storage < 2 GB" gives no period: 2 x 5 minutes, like the others.
 *   GB and MB are read as GiB and MiB.
 * ⚑ Only the seed's four alarms: the NAT and flow-log alarm groups are off
 *   (alarms.groups), so the dashboard has exactly its six widgets.
 * ⚠ Multi-AZ is not stated; the seed's $26/month is a single-AZ price.
 *   The identifier is the seed's, startupwebapp-multi-tenant-prod, and so
 *   its log group; the master secret is RDS's own (rds!db-...), not
 *   rds/startupwebapp/multi-tenant/master: RDS names a managed secret.
 * ⚑ django_app is the master user, as the seed's secret says (its psql
 *   commands log in with it), so create-databases.sh's CREATE USER django_app
 *   is dropped: the script makes the three databases only (SQL over Session
 *   Manager, not Terraform). The password is RDS's managed secret's.
 */
export function startupwebapp(databaseAccess: boolean): EnvironmentConfig {
  return {
    name: "startupwebapp",
    accountId: "111122223333",
    region: "us-east-1",
    tags: {
      owner: "startupwebapp",
      costCenter: "startupwebapp",
      dataClassification: "confidential",
    },
    protection: "production",
    // Seed 001's names: startupwebapp-<name>, the instance startupwebapp-multi-tenant-prod, its dashboard's own name.
    naming: {
      pattern: "{environment}-{name}",
      globalPattern: "{environment}-{name}-{account}-{region}",
      names: { "dbInstance:rds": "startupwebapp-multi-tenant-prod", "default:dashboard": "StartupWebApp-RDS-MultiTenant" },
    },
    network: {
      cidr: "10.0.0.0/16",
      azs: ["us-east-1a", "us-east-1b"],
      publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
      privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
      databaseSubnetGroupTier: "private",
      enableNatGateway: false,
      // Session Manager's endpoints, for the bastion, only while the database is reached.
      ...(databaseAccess ? { interfaceEndpoints: ["ssm", "ssmmessages", "ec2messages"] as const } : {}),
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
      clientGroups: {
        backend: {
          description: "StartupWebApp backend services: PostgreSQL to the database, HTTPS out",
          egress: [
            {
              port: 587,
              to: "0.0.0.0/0",
              reason: "SMTP submission for the backend e-mail (the seed: Stripe API, SMTP)",
            },
          ],
        },
      },
    },
    ...(databaseAccess ? { bastion: { subnetTier: "private" as const } } : {}),
    alarms: {
      emails: ["bart@mosaicmeshai.com"],
      groups: ["rds"],
      thresholds: {
        rdsCpuPercent: 70,
        rdsConnections: 80,
        rdsFreeStorageGiB: 2,
        rdsFreeableMemoryMiB: 500,
      },
    },
    // Beside the pg_dump scripts: Keel's daily continuous backup of the instance, 35 days, in a locked vault.
    backup: {},
  };
}

export default startupwebapp(DATABASE_ACCESS);
