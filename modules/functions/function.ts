import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { LambdaFunction as LambdaFunctionResource } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Label, TaggableProps } from "../label";
import { IGrantable, ISecretSource, IServiceKey, ServiceRole, pascalCase } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricExpression, MetricOptions, metric, percentOf } from "../metrics";
import { Connections, EgressRule, IConnectable, INetwork, SubnetTier, checkEgress, httpsClientGroup, privateEgress } from "../network";
import { PropsCheck, PropsError } from "../validation";
import { hasUrlCredentials, isCredentialName } from "../validation/secrets";
import { DEPLOYERS, Deployer } from "../ecs/constants";
import {
  DEPRECATED_LAMBDA_RUNTIMES,
  LAMBDA_ARCHITECTURES,
  LAMBDA_RUNTIMES,
  LambdaArchitecture,
  RESERVED_ENVIRONMENT_KEYS,
  reservableConcurrency,
} from "./constants";

/** Where a function's code comes from. */
export type FunctionCode =
  /** A directory of the repository (relative to cdktf.json), zipped at synth. */
  | { readonly path: string }
  /**
   * A zip in an artifacts bucket, uploaded by CI (`lambda/backend-latest.zip`
   * in the OutreachPass example). The bucket is named by reference, so the
   * function is created after it; the object itself must be there first (see
   * `keel artifacts`).
   */
  | { readonly bucket: { readonly nameReference: string }; readonly key: string };

/** VPC placement: the function's network interfaces in one tier of the network. */
export interface FunctionVpcProps {
  readonly network: INetwork;
  /** @default "private" */
  readonly subnets?: SubnetTier;
  /**
   * Why the function needs no internet: without a NAT route its calls to
   * AWS APIs (SQS, SES, Secrets Manager) and anything outside fail. Without
   * this, Keel refuses subnets that give no egress.
   * @default - the function needs egress
   */
  readonly noInternetReason?: string;
  /**
   * Egress beyond HTTPS to anywhere (which every workload has), each rule
   * with its reason: SMTP, Redis, a partner's port. @default []
   */
  readonly egress?: readonly EgressRule[];
}

/** Somewhere failed asynchronous invocations go (a queue's ARN, granted send). */
export interface IDeadLetterTarget {
  readonly queueArn: string;
  grantSend(grantee: IGrantable): void;
}

export interface LambdaFunctionProps extends TaggableProps {
  /** Short name, `[a-z0-9-]`: the function is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** A runtime Lambda still patches (`LAMBDA_RUNTIMES`). */
  readonly runtime: string;
  /** The entry point, e.g. `app.main.handler`. */
  readonly handler: string;
  readonly code: FunctionCode;
  /**
   * `ci`: CI deploys new code (`aws lambda update-function-code`), and
   * Terraform ignores the code fields after creating the function.
   * @default "terraform"
   */
  readonly deployedBy?: Deployer;
  /** @default 128 - MB, 128-10240 */
  readonly memorySize?: number;
  /** @default 3 - seconds, 1-900 */
  readonly timeoutSeconds?: number;
  /** @default 512 - MB of /tmp, 512-10240 */
  readonly ephemeralStorageMiB?: number;
  /** @default "x86_64" */
  readonly architecture?: LambdaArchitecture;
  /**
   * Plain settings. Names Lambda reserves (`AWS_REGION` and the others) and
   * credentials (by name, or a URL with a password) are refused: pass a
   * secret through `secrets` and read it at run time.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets by the variable that carries their ARN (names end in `_ARN`);
   * the role may read each. The value never enters Terraform.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, ISecretSource>>;
  /**
   * Concurrency reserved for (and capping) this function.
   * @default - none: the function shares the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * The account's concurrency quota in this region, of which AWS keeps 100
   * unreserved.
   * @default 1000 - the default quota
   */
  readonly accountConcurrencyLimit?: number;
  /** @default - not in a VPC */
  readonly vpc?: FunctionVpcProps;
  /** Where failed asynchronous invocations go. @default - dropped after 2 retries (keel check warns) */
  readonly deadLetterQueue?: IDeadLetterTarget;
  /** Key of the environment variables; the function asks it to admit Lambda. */
  readonly environmentKey: IServiceKey;
  /** Key of the log group `/aws/lambda/<function>`. */
  readonly logKmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionInDays?: number;
}

const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** Lambda's limit on the environment: 4 KB of names and values together. */
const ENVIRONMENT_BYTES = 4096;

/**
 * A Lambda function: X-Ray tracing, its own log group (KMS, retention) made
 * before the function so Lambda never makes an unencrypted one, environment
 * variables under a customer key with no secret among them, and an
 * execution role that holds only what `grant*` calls add (the log group and
 * tracing to begin with).
 */
export class LambdaFunction extends Construct implements IConnectable {
  public readonly resource: LambdaFunctionResource;
  public readonly functionName: string;
  public readonly functionArn: string;
  /** For API Gateway integrations. */
  public readonly invokeArn: string;
  public readonly role: ServiceRole;
  public readonly logGroup: LogGroup;
  public readonly timeoutSeconds: number;
  public readonly reservedConcurrency?: number;
  public readonly name: string;
  private readonly vpcConnections?: Connections;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    const label = Label.of(this);
    this.functionName = label.id(props.name, "lambdaFunction");
    validate(props, this.functionName);
    this.name = props.name;
    this.timeoutSeconds = props.timeoutSeconds ?? 3;
    this.reservedConcurrency = props.reservedConcurrency;

    this.logGroup = new LogGroup(this, "log-group", {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      tags: props.tags,
    });
    this.role = new ServiceRole(this, "role", {
      purpose: `lambda-${props.name}`,
      servicePrincipal: "lambda.amazonaws.com",
      trustConditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
      // Neither X-Ray's writes nor Lambda's network-interface calls take a resource: AWS's own
      // policies for them are what Lambda documents, and a copy would only drift from them.
      managedPolicies: {
        AWSXRayDaemonWriteAccess: "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource; this is the policy Lambda's tracing documents",
        ...(props.vpc === undefined
          ? {}
          : { "service-role/AWSLambdaENIManagementAccess": "Lambda creates and deletes the function's network interfaces with these EC2 calls, which take no resource; the policy Lambda documents for VPC access" }),
      },
      tags: props.tags,
    });
    this.role.addToPolicy({ sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.logGroupArn}:*`] });

    let vpcConfig: { subnetIds: string[]; securityGroupIds: string[] } | undefined;
    if (props.vpc !== undefined) {
      const { securityGroup, connections } = httpsClientGroup(this, {
        role: `lambda-${props.name}`,
        description: `Lambda function ${props.name}: nothing in; HTTPS out`,
        vpcId: props.vpc.network.vpcId,
        tags: props.tags,
        name: props.name,
        egressDescription: "HTTPS to AWS APIs and the services the function calls",
        egress: props.vpc.egress,
      });
      this.vpcConnections = connections;
      vpcConfig = { subnetIds: [...props.vpc.network.subnetIds(props.vpc.subnets ?? "private")], securityGroupIds: [securityGroup.id] };
    }

    const environment: Record<string, string> = { ...props.environment };
    for (const [variable, secret] of Object.entries(props.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      environment[variable] = secret.secretArn;
      secret.grantRead(this.role);
    }
    const hasEnvironment = Object.keys(environment).length > 0;
    if (hasEnvironment) {
      props.environmentKey.allowUseThrough("lambda");
      this.role.addToPolicy({
        sid: "DecryptEnvironment",
        actions: ["kms:Decrypt"],
        resources: [props.environmentKey.keyArn],
        conditions: { StringEquals: { "kms:ViaService": label.serviceHost("lambda") } },
      });
    }
    if (props.deadLetterQueue !== undefined) props.deadLetterQueue.grantSend(this.role);

    const deployedBy = props.deployedBy ?? "terraform";
    this.resource = new LambdaFunctionResource(this, "resource", {
      functionName: this.functionName,
      role: this.role.roleArn,
      runtime: props.runtime,
      handler: props.handler,
      ...code(this, props.code),
      memorySize: props.memorySize ?? 128,
      timeout: this.timeoutSeconds,
      ephemeralStorage: { size: props.ephemeralStorageMiB ?? 512 },
      architectures: [props.architecture ?? "x86_64"],
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracingConfig: { mode: "Active" },
      environment: hasEnvironment ? { variables: environment } : undefined,
      kmsKeyArn: hasEnvironment ? props.environmentKey.keyArn : undefined,
      vpcConfig,
      deadLetterConfig: props.deadLetterQueue === undefined ? undefined : { targetArn: props.deadLetterQueue.queueArn },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.logGroupName },
      tags: label.resourceTags(this.functionName, props.tags),
      dependsOn: [this.logGroup.resource],
      lifecycle: deployedBy === "ci" ? { ignoreChanges: ["s3_key", "s3_object_version", "filename", "source_code_hash"] } : undefined,
    });
    this.functionArn = this.resource.arn;
    this.invokeArn = this.resource.invokeArn;
  }

  /** The function's security group, for `aurora.allowFrom(fn)`: only a function in a VPC has one. */
  public get connections(): Connections {
    if (this.vpcConnections === undefined) {
      throw new PropsError(`LambdaFunction '${this.name}'`, [{ field: "vpc", value: "(none)", allowed: "a VPC placement: a function outside a VPC has no security group to allow traffic from" }]);
    }
    return this.vpcConnections;
  }

  /**
   * Lets `service` (e.g. `apigateway.amazonaws.com`) invoke the function for
   * `sourceArn` only, in this account: the resource policy a trigger needs.
   */
  /**
   * Lets `grantee` (CI's deploy role) replace this function's code, and only
   * this function's: `UpdateFunctionCode` with the new package, and reading
   * the function back while Lambda applies it.
   */
  public grantDeploy(grantee: IGrantable): void {
    grantee.addToPolicy({
      sid: `Deploy${pascalCase(this.node.id)}`,
      actions: ["lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:GetFunctionConfiguration"],
      resources: [this.functionArn],
    });
  }

  public allowInvoke(id: string, service: string, sourceArn: string): LambdaPermission {
    return new LambdaPermission(this, `invoke-${id}`, {
      statementId: `Allow${pascalCase(id)}`,
      action: "lambda:InvokeFunction",
      functionName: this.functionName,
      principal: service,
      sourceArn,
      sourceAccount: Label.of(this).accountId,
      dependsOn: [this.resource],
    });
  }

  /** A function metric (namespace AWS/Lambda, dimension FunctionName). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions): Metric {
    return metric("AWS/Lambda", metricName, { FunctionName: this.functionName }, statistic, options);
  }

  public metricInvocations(options?: MetricOptions): Metric {
    return this.metric("Invocations", "Sum", options);
  }

  /** Invocations that ended in an error (the handler's, a timeout, out of memory). */
  public metricErrors(options?: MetricOptions): Metric {
    return this.metric("Errors", "Sum", options);
  }

  /** Invocation time, milliseconds. @default statistic p99 */
  public metricDuration(options?: MetricOptions): Metric {
    return this.metric("Duration", "p99", options);
  }

  /** Invocations refused for want of concurrency. */
  public metricThrottles(options?: MetricOptions): Metric {
    return this.metric("Throttles", "Sum", options);
  }

  /** Errors as a percentage of invocations (metric math; 0 without traffic). */
  public metricErrorRate(options?: Omit<MetricOptions, "statistic">): MetricExpression {
    return percentOf(this.metricErrors(options), this.metricInvocations(options), `${this.name} error rate (%)`);
  }
}

/** The code fields: a zip of a repository directory, or an object in a bucket. */
function code(scope: Construct, source: FunctionCode): { filename: string; sourceCodeHash: string } | { s3Bucket: string; s3Key: string } {
  if ("bucket" in source) return { s3Bucket: source.bucket.nameReference, s3Key: source.key };
  const asset = new TerraformAsset(scope, "code", { path: source.path, type: AssetType.ARCHIVE });
  // The zip's bytes carry file times; the hash of the directory's contents does not, so a
  // new synth of unchanged code plans nothing, and changed code updates the function.
  return { filename: asset.path, sourceCodeHash: asset.assetHash };
}

function validate(props: LambdaFunctionProps, functionName: string): void {
  const check = new PropsCheck(`LambdaFunction '${props.name}'`).shortName("name", props.name).tags("tags", props.tags);
  check.require(/^[a-zA-Z0-9-_]{1,64}$/.test(functionName), "(function name)", functionName, "1-64 letters, digits, dashes or underscores");
  const deprecated = DEPRECATED_LAMBDA_RUNTIMES[props.runtime];
  check.require(
    (LAMBDA_RUNTIMES as readonly string[]).includes(props.runtime),
    "runtime",
    props.runtime,
    deprecated !== undefined ? `a runtime AWS still patches (${props.runtime} was deprecated on ${deprecated}): ${LAMBDA_RUNTIMES.join(", ")}` : `one of ${LAMBDA_RUNTIMES.join(", ")}`,
  );
  check
    .nonEmpty("handler", props.handler)
    .oneOf("deployedBy", props.deployedBy ?? "terraform", DEPLOYERS)
    .integer("memorySize", props.memorySize ?? 128, 128, 10240)
    .integer("timeoutSeconds", props.timeoutSeconds ?? 3, 1, 900)
    .integer("ephemeralStorageMiB", props.ephemeralStorageMiB ?? 512, 512, 10240)
    .oneOf("architecture", props.architecture ?? "x86_64", LAMBDA_ARCHITECTURES);
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 365);
  if ("bucket" in props.code) check.require(/^[^/].*\.zip$/.test(props.code.key), "code.key", props.code.key, "an object key of a .zip, without a leading /");
  else check.nonEmpty("code.path", props.code.path);

  const environment = props.environment ?? {};
  const reserved: readonly string[] = RESERVED_ENVIRONMENT_KEYS;
  for (const [name, value] of Object.entries(environment)) {
    check
      .require(ENV_NAME.test(name), `environment.${name}`, name, "a name of letters, digits and underscores, starting with a letter")
      .require(!reserved.includes(name), `environment.${name}`, value, `a name Lambda does not reserve: it sets ${RESERVED_ENVIRONMENT_KEYS.join(", ")} itself and refuses them`)
      .require(!isCredentialName(name), `environment.${name}`, "(value hidden)", "no credential: the name says it holds one. Put it in security.secrets and pass its ARN through secrets")
      .require(!hasUrlCredentials(value), `environment.${name}`, "(a URL with a password; value hidden)", "no password in a URL: keep it in a secret (aurora's master secret, or security.secrets) and build the URL at run time");
  }
  for (const name of Object.keys(props.secrets ?? {})) {
    check
      .require(ENV_NAME.test(name) && name.endsWith("_ARN"), `secrets.${name}`, name, "a variable name ending in _ARN: it carries the secret's ARN, never its value")
      .require(!(name in environment), `secrets.${name}`, name, "a name not also in environment");
  }
  const size = Object.entries(environment).reduce((n, [k, v]) => n + k.length + v.length, 0);
  check.require(size <= ENVIRONMENT_BYTES, "environment", `${size} bytes`, `at most ${ENVIRONMENT_BYTES} bytes of names and values (Lambda's limit)`);

  const limit = props.accountConcurrencyLimit ?? 1000;
  const reservable = reservableConcurrency(limit);
  if (props.reservedConcurrency !== undefined) {
    check.require(
      Number.isInteger(props.reservedConcurrency) && props.reservedConcurrency >= 0 && props.reservedConcurrency <= reservable,
      "reservedConcurrency",
      props.reservedConcurrency,
      `a whole number from 0 to ${reservable}: the account's concurrency quota (${limit}) less the 100 AWS always keeps unreserved. Raise the quota first (Service Quotas), then set accountConcurrencyLimit`,
    );
  }
  const vpc = props.vpc;
  if (vpc !== undefined) {
    const tier = vpc.subnets ?? "private";
    const reason = vpc.noInternetReason;
    check
      .require(vpc.network.subnetIds(tier).length > 0, "vpc.subnets", tier, "a tier the network has subnets in")
      .require(
        privateEgress(vpc.network, tier) || (reason ?? "").trim().length >= 20,
        "vpc.subnets",
        tier,
        `subnets with a NAT route, or a vpc.noInternetReason: Lambda's network interfaces never get a public IP, so in ${tier} subnets the function cannot reach AWS APIs (SQS, SES, Secrets Manager) or the internet`,
      );
  }
  checkEgress(check, "vpc.egress", props.vpc?.egress);
  check.done();
}
