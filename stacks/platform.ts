import type { Backup } from "../modules/backup";
import type { AccountConfig, EnvironmentConfig } from "../environments";
import { ProtectionProfile } from "../modules/protection";
import { Security } from "../modules/security";
import { INetwork } from "../modules/network";
import { Vpc } from "../modules/vpc";
import { Aurora } from "../modules/aurora";
import { Bastion } from "../modules/bastion";
import { Bucket } from "../modules/buckets";
import { Repository } from "../modules/ecr";
import { Cluster, FargateService } from "../modules/ecs";
import { LoadBalancer } from "../modules/alb";
import { WebAcl } from "../modules/waf";
import { AlarmTopic } from "../modules/alarms";
import { HostedZone } from "../modules/dns";
import { UserPool } from "../modules/auth";
import { Distribution } from "../modules/cdn";
import { HttpApi, RestApi } from "../modules/api";
import { Queue } from "../modules/queues";
import { LambdaFunction } from "../modules/functions";
import { EmailIdentity } from "../modules/email";
import { RdsInstance } from "../modules/rds";
import { AppRunnerService } from "../modules/apprunner";
import { EdgeProvider } from "./edge";
import { PropsError, ValidationError } from "../modules/validation";
import type { KeelStack } from "./keel-stack";

/** A keyed config section's entries, in name order (so addresses and outputs are deterministic). */
export const byKey = <T>(record: Readonly<Record<string, T>>): Array<[string, T]> => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

/** The optional sections of an environment: one wiring step each. */
export type Section = Exclude<keyof EnvironmentConfig, "name" | "accountId" | "region" | "tags" | "protection" | "usage" | "suppressions">;

/**
 * What an environment stack has built so far. Steps add to it in order and
 * later steps read it: the network, keys, and modules to connect to.
 */
export class Platform {
  /** The environment's keys and secrets; keys appear as modules ask for them. */
  public readonly security: Security;
  public network?: INetwork;
  /** The VPC, when Keel created the network. */
  public vpc?: Vpc;
  public aurora?: Aurora;
  public rds?: RdsInstance;
  public bastion?: Bastion;
  /** Application buckets, by their short name in the `buckets` section. */
  public readonly buckets = new Map<string, Bucket>();
  public readonly repositories = new Map<string, Repository>();
  public cluster?: Cluster;
  public readonly services = new Map<string, FargateService>();
  public loadBalancer?: LoadBalancer;
  public webAcl?: WebAcl;
  public alarmTopic?: AlarmTopic;
  public backup?: Backup;
  /** The existing hosted zone records and certificates go in. */
  public zone?: HostedZone;
  public userPool?: UserPool;
  /** CloudFront distributions, by their short name in the `cdn` section. */
  public readonly distributions = new Map<string, Distribution>();
  public restApi?: RestApi;
  public httpApi?: HttpApi;
  /** SQS queues, by their short name in the `queues` section. */
  public readonly queues = new Map<string, Queue>();
  public email?: EmailIdentity;
  /** Lambda functions, by their short name in the `functions` section. */
  public readonly functions = new Map<string, LambdaFunction>();
  /** App Runner services, by their short name in the `apprunner` section. */
  public readonly appRunnerServices = new Map<string, AppRunnerService>();
  /** The stack's us-east-1 provider, created when a step first needs it. */
  public readonly edge: EdgeProvider;

  constructor(
    public readonly stack: KeelStack,
    public readonly config: EnvironmentConfig,
    public readonly protection: ProtectionProfile,
    public readonly source: string,
    /** The environment's account as the project lists it: what its account stack runs (GuardDuty, ...). */
    public readonly account?: AccountConfig,
  ) {
    this.security = new Security(stack, "security", { ...config.security, protection });
    this.edge = new EdgeProvider(stack);
  }

  /** A config error at `field` (under the section being built), stopping synth. */
  public fail(field: string, value: unknown, allowed: string): never {
    throw new ValidationError(this.source, [{ field, value, allowed }]);
  }

  /**
   * Builds with a module whose props are not the config's own shape: each prop
   * error is reported at the config field `field` maps it to (a whole path,
   * section included), so a message names what the team wrote.
   */
  public asWritten<T>(field: (prop: string) => string, build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (error instanceof PropsError) throw new ValidationError(this.source, error.issues.map((i) => ({ ...i, field: field(i.field) })));
      throw error;
    }
  }

  /** Builds one entry of a keyed section; a module's prop errors are reported under `key`. */
  public entry<T>(key: string, build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (error instanceof PropsError) throw error.under(key);
      throw error;
    }
  }

  /** One entry of a named map a section refers to, or a clear error listing what exists. */
  public lookup<T>(map: ReadonlyMap<string, T>, field: string, name: string, what: string): T {
    return map.get(name) ?? this.fail(field, name, `${what}: ${[...map.keys()].join(", ") || "(none)"}`);
  }

  /** The network, for `section`; a clear error when the environment has none. */
  public requireNetwork(section: Section, why: string): INetwork {
    if (this.network === undefined) {
      throw new ValidationError(this.source, [{ field: section, value: "(section given)", allowed: `only with a 'network' section: ${why}` }]);
    }
    return this.network;
  }
}

/**
 * One config section, wired: build its module from the section (present
 * means on), connect it to what earlier steps built, and add its outputs.
 * Adding a module adds one step; nothing else in composition changes.
 */
export interface Step<K extends Section> {
  readonly section: K;
  build(platform: Platform, config: NonNullable<EnvironmentConfig[K]>): void;
  /** Runs after every step has built, so outputs see everything (keys are created on demand). */
  outputs?(platform: Platform): void;
}

/** A step, typed by its section. */
export function step<K extends Section>(definition: Step<K>): Step<K> {
  return definition;
}

/** A step of any section. */
export type AnyStep = { [K in Section]: Step<K> }[Section];

/** Builds `s` when its section is present in the config. */
export function buildStep<K extends Section>(s: Step<K>, p: Platform): void {
  const config = p.config[s.section];
  if (config !== undefined) s.build(p, config as NonNullable<EnvironmentConfig[K]>);
}
