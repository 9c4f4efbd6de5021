import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { Label, TaggableProps } from "../label";
import { IGrantable, IServiceKey, PolicyStatement, pascalCase, policyDocument } from "../iam";
import { Metric, MetricOptions, metric } from "../metrics";
import { PropsCheck, PropsError } from "../validation";
import { DeadLetterProps, QUEUE_LIMITS, VISIBILITY_GUIDANCE_FACTOR } from "./constants";

export interface QueueProps extends TaggableProps {
  /** Short name, `[a-z0-9-]`: the queue is `<namespace>-<env>-<name>` (`.fifo` added for FIFO). */
  readonly name: string;
  /**
   * A FIFO queue: ordered, exactly-once processing, content-based deduplication.
   * @default false - a standard queue
   */
  readonly fifo?: boolean;
  /**
   * `kms`: the customer-managed key `kmsKey`. `sqs-managed`: SSE-SQS, an
   * AWS-owned key no key policy or CloudTrail record covers (keel check's
   * sqs-kms refuses it unless suppressed).
   * @default "kms"
   */
  readonly encryption?: "kms" | "sqs-managed";
  /** The key of `kms` encryption; the queue asks it to admit SQS. */
  readonly kmsKey?: IServiceKey;
  /**
   * Seconds a received message stays hidden from other consumers, 0-43200.
   * With a Lambda consumer, at least 6 times its timeout (AWS's guidance).
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Why the visibility timeout may be below 6 times a consumer's timeout. A
   * message whose handler is still running then reappears and is processed
   * twice. Without a reason, `addConsumer` refuses such a consumer.
   * @default - none
   */
  readonly visibilityTimeoutReason?: string;
  /**
   * Seconds a message is kept, 60-1209600 (14 days).
   * @default 345600 - 4 days, SQS's default
   */
  readonly messageRetentionSeconds?: number;
  /**
   * Seconds a receive waits for a message (long polling), 0-20.
   * @default 20 - long polling: fewer empty receives to pay for
   */
  readonly receiveWaitTimeSeconds?: number;
  /**
   * Largest message in bytes, 1024-262144.
   * @default 262144 - 256 KiB
   */
  readonly maxMessageSizeBytes?: number;
  /**
   * The dead-letter queue `<name>-dlq` that takes a message after
   * `maxReceiveCount` failed receives, or `false` for none.
   * @default { maxReceiveCount: 3, messageRetentionSeconds: 1209600 }
   */
  readonly deadLetter?: DeadLetterProps | false;
}

/** A Lambda function that may consume a queue, as the functions module hands it over. */
export interface IQueueConsumer {
  /** Short name, for ids. */
  readonly name: string;
  readonly functionArn: string;
  /** Seconds an invocation may run. */
  readonly timeoutSeconds: number;
  /** Its reserved concurrency, when it has one. */
  readonly reservedConcurrency?: number;
  /** The execution role, granted what consuming needs. */
  readonly role: IGrantable;
}

/** How a function consumes the queue (an event-source mapping). */
export interface ConsumerOptions {
  /**
   * Messages per invocation, 1-10 (more needs a batching window).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Most concurrent invocations this queue drives, 2-1000; at most the
   * function's reserved concurrency, or the surplus is throttled.
   * @default - no cap but the function's concurrency
   */
  readonly maximumConcurrency?: number;
  /**
   * The handler returns `batchItemFailures`, so only failed messages are retried.
   * @default false
   */
  readonly reportBatchItemFailures?: boolean;
}

/**
 * An SQS queue: encrypted (a customer-managed key by default), TLS-only by
 * policy, with a dead-letter queue, and Lambda consumers whose visibility
 * timeout is checked against their timeout.
 */
export class Queue extends Construct {
  public readonly resource: SqsQueue;
  public readonly queueName: string;
  public readonly queueArn: string;
  public readonly queueUrl: string;
  public readonly visibilityTimeoutSeconds: number;
  public readonly deadLetterQueue?: SqsQueue;
  public readonly deadLetterQueueName?: string;
  private readonly props: QueueProps;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    validate(props);
    this.props = props;
    const label = Label.of(this);
    const fifo = props.fifo ?? false;
    const base = label.id(props.name, "sqsQueue");
    const named = (suffix: string): string => `${base}${suffix}${fifo ? ".fifo" : ""}`;
    this.queueName = named("");
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? 30;
    const kms = (props.encryption ?? "kms") === "kms";
    if (kms) props.kmsKey!.allowUseThrough("sqs");
    const encryption = kms ? { kmsMasterKeyId: props.kmsKey!.keyArn, kmsDataKeyReusePeriodSeconds: 300 } : { sqsManagedSseEnabled: true };
    const common = { fifoQueue: fifo || undefined, contentBasedDeduplication: fifo || undefined, ...encryption };

    const dead = props.deadLetter === false ? undefined : { maxReceiveCount: 3, messageRetentionSeconds: 1209600, ...props.deadLetter };
    if (dead !== undefined) {
      this.deadLetterQueueName = named("-dlq");
      this.deadLetterQueue = new SqsQueue(this, "dead-letter", {
        ...common,
        name: this.deadLetterQueueName,
        messageRetentionSeconds: dead.messageRetentionSeconds,
        policy: tlsOnly(label.arn("sqs", this.deadLetterQueueName)),
        redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [label.arn("sqs", this.queueName)] }),
        tags: label.resourceTags(this.deadLetterQueueName, props.tags),
      });
    }
    this.resource = new SqsQueue(this, "resource", {
      ...common,
      name: this.queueName,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 345600,
      receiveWaitTimeSeconds: props.receiveWaitTimeSeconds ?? 20,
      maxMessageSize: props.maxMessageSizeBytes ?? 262144,
      policy: tlsOnly(label.arn("sqs", this.queueName)),
      redrivePolicy: dead === undefined ? undefined : JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue!.arn, maxReceiveCount: dead.maxReceiveCount }),
      tags: label.resourceTags(this.queueName, props.tags),
    });
    this.queueArn = this.resource.arn;
    this.queueUrl = this.resource.url;
  }

  /** Lets `grantee` send messages (and encrypt them with the queue's key, through SQS only). */
  public grantSend(grantee: IGrantable): void {
    this.grant(grantee, "SendTo", ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], ["kms:GenerateDataKey", "kms:Decrypt"]);
  }

  /** Lets `grantee` receive, delete and re-time messages (and decrypt them, through SQS only). */
  public grantConsume(grantee: IGrantable): void {
    this.grant(grantee, "Consume", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], ["kms:Decrypt"]);
  }

  /**
   * Makes `consumer` process this queue (a Lambda event-source mapping) and
   * grants it what that needs. Refuses a visibility timeout below 6 times
   * the function's timeout without `visibilityTimeoutReason`, and a
   * maximum concurrency above the function's reserved concurrency.
   */
  public addConsumer(consumer: IQueueConsumer, options: ConsumerOptions = {}): LambdaEventSourceMapping {
    const minimum = VISIBILITY_GUIDANCE_FACTOR * consumer.timeoutSeconds;
    const batchSize = options.batchSize ?? 10;
    const check = new PropsCheck(`Queue '${this.props.name}'`)
      .require(
        this.visibilityTimeoutSeconds >= minimum || (this.props.visibilityTimeoutReason ?? "").trim().length >= 20,
        "visibilityTimeoutSeconds",
        this.visibilityTimeoutSeconds,
        `at least ${minimum} (${VISIBILITY_GUIDANCE_FACTOR} x consumer ${consumer.name}'s timeout of ${consumer.timeoutSeconds} s, AWS's guidance for Lambda consumers), or a visibilityTimeoutReason of 20+ characters: a message still being handled reappears and is processed again`,
      )
      .integer(`consumers.${consumer.name}.batchSize`, batchSize, 1, 10);
    const max = options.maximumConcurrency;
    if (max !== undefined) {
      check.integer(`consumers.${consumer.name}.maximumConcurrency`, max, 2, 1000);
      const reserved = consumer.reservedConcurrency;
      check.require(reserved === undefined || max <= reserved, `consumers.${consumer.name}.maximumConcurrency`, max, `at most ${consumer.name}'s reserved concurrency (${reserved}): invocations beyond it are throttled and the messages return to the queue`);
    }
    check.done();
    this.grantConsume(consumer.role);
    return new LambdaEventSourceMapping(this, `consumer-${consumer.name}`, {
      eventSourceArn: this.queueArn,
      functionName: consumer.functionArn,
      batchSize,
      scalingConfig: max === undefined ? undefined : { maximumConcurrency: max },
      functionResponseTypes: options.reportBatchItemFailures ? ["ReportBatchItemFailures"] : undefined,
    });
  }

  /** A queue metric (namespace AWS/SQS, dimension QueueName). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions, queueName = this.queueName): Metric {
    return metric("AWS/SQS", metricName, { QueueName: queueName }, statistic, options);
  }

  /** Age of the oldest message, seconds: consumers falling behind or failing. */
  public metricApproximateAgeOfOldestMessage(options?: MetricOptions): Metric {
    return this.metric("ApproximateAgeOfOldestMessage", "Maximum", options);
  }

  /** Messages waiting in the queue. */
  public metricVisibleMessages(options?: MetricOptions): Metric {
    return this.metric("ApproximateNumberOfMessagesVisible", "Maximum", options);
  }

  /** Messages in the dead-letter queue: each one failed `maxReceiveCount` times. */
  public metricDeadLetterMessages(options?: MetricOptions): Metric {
    if (this.deadLetterQueueName === undefined) {
      throw new PropsError(`Queue '${this.props.name}'`, [{ field: "deadLetter", value: false, allowed: "a dead-letter queue, to measure its depth" }]);
    }
    return this.metric("ApproximateNumberOfMessagesVisible", "Maximum", options, this.deadLetterQueueName);
  }

  private grant(grantee: IGrantable, verb: string, actions: readonly string[], keyActions: readonly string[]): void {
    const name = pascalCase(this.props.name);
    grantee.addToPolicy({ sid: `${verb}${name}Queue`, actions, resources: [this.queueArn] });
    if ((this.props.encryption ?? "kms") !== "kms") return;
    const label = Label.of(this);
    grantee.addToPolicy({
      sid: `${verb}${name}QueueKey`,
      actions: keyActions,
      resources: [this.props.kmsKey!.keyArn],
      conditions: { StringEquals: { "kms:ViaService": label.serviceHost("sqs") } },
    });
  }
}

/** The queue's own policy: nothing over plain HTTP. Who may use it is left to IAM. */
function tlsOnly(queueArn: string): string {
  const deny: PolicyStatement = {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principal: "*",
    actions: ["sqs:*"],
    resources: [queueArn],
    conditions: { Bool: { "aws:SecureTransport": "false" } },
  };
  return policyDocument([deny]);
}

function validate(props: QueueProps): void {
  const check = new PropsCheck(`Queue '${props.name}'`).shortName("name", props.name).tags("tags", props.tags);
  const encryption = props.encryption ?? "kms";
  check.oneOf("encryption", encryption, ["kms", "sqs-managed"]);
  check.require(encryption !== "kms" || props.kmsKey !== undefined, "kmsKey", "(none)", "a key for kms encryption");
  for (const [prop, [min, max, fallback]] of Object.entries(QUEUE_LIMITS)) {
    const value = (props as unknown as Record<string, number | undefined>)[prop] ?? fallback;
    check.integer(prop, value, min, max);
  }
  const reason = props.visibilityTimeoutReason;
  check.require(reason === undefined || reason.trim().length >= 20, "visibilityTimeoutReason", reason, "a sentence of 20 or more characters saying why");
  if (props.deadLetter !== undefined && props.deadLetter !== false) {
    const dead = props.deadLetter;
    const retention = dead.messageRetentionSeconds ?? 1209600;
    check
      .integer("deadLetter.maxReceiveCount", dead.maxReceiveCount ?? 3, 1, 1000)
      .integer("deadLetter.messageRetentionSeconds", retention, 60, 1209600)
      .require(
        retention > (props.messageRetentionSeconds ?? 345600),
        "deadLetter.messageRetentionSeconds",
        retention,
        `more than messageRetentionSeconds (${props.messageRetentionSeconds ?? 345600}): a message keeps its first enqueue time, so a shorter dead-letter retention deletes it on arrival`,
      );
  }
  check.done();
}
