import { Testing } from "cdktf";
import { Trail, TrailProps } from "../modules/cloudtrail";
import { ACCEPTED_CONFORMANCE_FAILURES, ConfigRecorder, HIPAA_RULES, conformancePackTemplate, ruleName } from "../modules/config";
import { DETECTOR_FEATURES, Detector } from "../modules/guardduty";
import { PROTECTION_PROFILES } from "../environments";
import { Body, moduleStack, only, resources, synth } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/keel-test-trail";

function trail(extra: Partial<TrailProps> = {}) {
  const stack = moduleStack();
  const t = new Trail(stack, "cloudtrail", { kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production, ...extra });
  return { stack, trail: t, json: () => synth(stack) };
}

describe("Trail", () => {
  const json = trail().json();
  const resource = only(json, "aws_cloudtrail");
  const bucketPolicy = JSON.parse(only(json, "aws_s3_bucket_policy").policy as string).Statement as Body[];

  it("matches the snapshot", () => {
    expect(Testing.synth(trail().stack)).toMatchSnapshot();
  });

  it("is a multi-region trail with global services and log file validation, encrypted with the key", () => {
    expect(resource).toMatchObject({
      name: "keel-test-trail",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      kms_key_id: TEST_KEY,
      s3_bucket_name: "keel-test-cloudtrail-111122223333-us-east-1",
    });
    expect(resource).not.toHaveProperty("event_selector");
  });

  it("lets only this trail check the bucket ACL and write its account's prefix, owner-controlled", () => {
    expect(bucketPolicy.slice(2)).toEqual([
      {
        Sid: "CloudtrailChecksAcl",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: "arn:aws:s3:::keel-test-cloudtrail-111122223333-us-east-1",
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
      },
      {
        Sid: "CloudtrailWritesAWSLogs111122223333",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::keel-test-cloudtrail-111122223333-us-east-1/AWSLogs/111122223333/*",
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
    ]);
    expect(bucketPolicy.slice(0, 2).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyTlsOlderThan12"]);
  });

  it("moves log files to Glacier after 90 days and expires them after six years", () => {
    expect((only(json, "aws_s3_bucket_lifecycle_configuration").rule as Body[])[0]).toMatchObject({
      transition: [{ days: 90, storage_class: "GLACIER" }],
      expiration: [{ days: 2190 }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
    expect(only(json, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: true });
  });

  it("delivers to /aws/cloudtrail/<name> through a role that may write only that group", () => {
    expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/cloudtrail/keel-test-trail", kms_key_id: TEST_KEY, lifecycle: { prevent_destroy: true } });
    expect(resource).toMatchObject({
      cloud_watch_logs_group_arn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/keel-test-trail:*",
      cloud_watch_logs_role_arn: "${aws_iam_role.cloudtrail_logs_role.arn}",
    });
    const statements = JSON.parse(only(json, "aws_iam_role_policy").policy as string).Statement as Body[];
    expect(statements[0].Resource).toEqual([
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/keel-test-trail",
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/keel-test-trail:*",
    ]);
    expect(resource.depends_on).toEqual(["aws_s3_bucket_policy.cloudtrail_bucket_policy", "aws_iam_role.cloudtrail_logs_role"]);
  });

  it("lets only CloudTrail of this account assume the delivery role", () => {
    const trust = JSON.parse(only(json, "aws_iam_role").assume_role_policy as string).Statement;
    expect(trust).toEqual([
      expect.objectContaining({ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }),
    ]);
  });

  it("records S3 data events for the buckets named", () => {
    expect(only(trail({ dataEventBuckets: ["keel-production-files"] }).json(), "aws_cloudtrail").event_selector).toEqual([
      { read_write_type: "All", include_management_events: true, data_resource: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::keel-production-files/"] }] },
    ]);
  });

  it("counts matching events for alarms", () => {
    const { trail: t, json: out } = trail();
    expect(t.metricEvents("sg-changes", "{ ($.eventName = CreateSecurityGroup) }").metricName).toBe("keel-test-sg-changes");
    expect(only(out(), "aws_cloudwatch_log_metric_filter").log_group_name).toBe("${aws_cloudwatch_log_group.cloudtrail_log_group.name}");
  });

  it.each([
    [{ retentionDays: 100 }, "field 'retentionDays': value 100 is not allowed: a whole number from 180 to 36500"],
    [{ archiveAfterDays: 10 }, "field 'archiveAfterDays': value 10 is not allowed"],
    [{ logGroupRetentionInDays: 45 }, "field 'logGroupRetentionInDays': value 45 is not allowed"],
  ])("rejects %j", (extra, message) => {
    expect(() => trail(extra)).toThrow(message);
  });
});

describe("ConfigRecorder", () => {
  const stack = moduleStack();
  new ConfigRecorder(stack, "config", { kmsKeyArn: TEST_KEY, recordGlobalResources: true, protection: PROTECTION_PROFILES.production });
  const json = synth(stack);

  it("matches the snapshot", () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("records every supported resource type, global ones only where told", () => {
    expect(only(json, "aws_config_configuration_recorder")).toMatchObject({
      name: "keel-test-config",
      recording_group: { all_supported: true, include_global_resource_types: true },
    });
    const other = moduleStack();
    new ConfigRecorder(other, "config", { kmsKeyArn: TEST_KEY, recordGlobalResources: false, protection: PROTECTION_PROFILES.production });
    expect(only(synth(other), "aws_config_configuration_recorder").recording_group).toEqual({ all_supported: true, include_global_resource_types: false });
  });

  it("delivers daily snapshots to its audit bucket, after the recorder and bucket policy exist", () => {
    expect(only(json, "aws_config_delivery_channel")).toMatchObject({
      s3_bucket_name: "keel-test-config-111122223333-us-east-1",
      snapshot_delivery_properties: { delivery_frequency: "TwentyFour_Hours" },
      depends_on: ["aws_config_configuration_recorder.config_recorder", "aws_s3_bucket_policy.config_bucket_policy"],
    });
  });

  it("turns recording on once the channel exists", () => {
    expect(only(json, "aws_config_configuration_recorder_status")).toMatchObject({ is_enabled: true, depends_on: ["aws_config_delivery_channel.config_delivery_channel"] });
  });

  it("gives its role the managed Config policy and delivery to its bucket only", () => {
    expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole");
    const statements = JSON.parse(only(json, "aws_iam_role_policy").policy as string).Statement as Body[];
    expect(statements).toEqual([
      { Sid: "DeliverBucketObjects", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::keel-test-config-111122223333-us-east-1/AWSLogs/111122223333/Config/*" },
      { Sid: "CheckBucketAcl", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: "arn:aws:s3:::keel-test-config-111122223333-us-east-1" },
      {
        Sid: "EncryptBucketObjects",
        Effect: "Allow",
        Action: "kms:GenerateDataKey",
        Resource: TEST_KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  it("lets only AWS Config of this account assume its role", () => {
    const trust = JSON.parse(only(json, "aws_iam_role").assume_role_policy as string).Statement;
    expect(trust).toEqual([
      expect.objectContaining({ Principal: { Service: "config.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }),
    ]);
  });

  it("deploys the HIPAA conformance pack, generated from the rule list, after recording starts", () => {
    const pack = only(json, "aws_config_conformance_pack");
    expect(pack).toMatchObject({ name: "keel-test-hipaa", depends_on: ["aws_config_configuration_recorder_status.config_status"] });
    expect(pack.template_body).toBe(conformancePackTemplate(HIPAA_RULES));
    const template = JSON.parse(pack.template_body as string);
    expect(Object.keys(template.Resources)).toHaveLength(HIPAA_RULES.length);
    expect(template.Resources.CloudTrailEnabled).toEqual({
      Type: "AWS::Config::ConfigRule",
      Properties: {
        ConfigRuleName: "cloud-trail-enabled",
        Description: "HIPAA 164.312(b): a trail records API activity",
        Source: { Owner: "AWS", SourceIdentifier: "CLOUD_TRAIL_ENABLED" },
      },
    });
  });
});

describe("the HIPAA rule list", () => {
  it("has at least 40 AWS managed rules, each once, each mapped to a Security Rule section", () => {
    expect(HIPAA_RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(HIPAA_RULES.map((r) => r.identifier)).size).toBe(HIPAA_RULES.length);
    for (const rule of HIPAA_RULES) {
      expect({ rule: rule.identifier, section: rule.section }).toEqual({ rule: rule.identifier, section: expect.stringMatching(/^164\.(308|310|312|316)\([a-z]\)(\(\d+\))?(\([ivx]+\))?(\([A-Z]\))?$/) });
      expect(rule.identifier).toMatch(/^[A-Z0-9_]+$/);
      expect(ruleName(rule.identifier)).toMatch(/^[a-z0-9-]{1,128}$/);
    }
  });

  it("checks the resource types Keel creates: trails, buckets, databases, volumes, instances, VPCs, load balancers, WAF, keys, secrets, topics, images, tasks", () => {
    const ids = HIPAA_RULES.map((r) => r.identifier);
    for (const prefix of ["CLOUD_TRAIL", "S3_", "RDS_", "ENCRYPTED_VOLUMES", "EC2_", "VPC_", "ELB_", "ALB_", "WAFV2_", "CMK_", "SECRETSMANAGER_", "SNS_", "ECR_", "ECS_", "GUARDDUTY_"]) {
      expect({ prefix, found: ids.some((id) => id.startsWith(prefix)) }).toEqual({ prefix, found: true });
    }
  });

  it("keeps the rules Keel's design fails on some resources in the pack, as AWS's sample does, each an accepted finding with its reason", () => {
    const ids = HIPAA_RULES.map((r) => r.identifier);
    for (const id of ["IAM_NO_INLINE_POLICY_CHECK", "S3_BUCKET_LOGGING_ENABLED", "CW_LOGGROUP_RETENTION_PERIOD_CHECK"]) expect(ids).toContain(id);
    expect(ACCEPTED_CONFORMANCE_FAILURES.map((f) => f.rule).sort()).toEqual(["cw-loggroup-retention-period-check", "iam-no-inline-policy-check", "s3-bucket-logging-enabled"]);
    for (const f of ACCEPTED_CONFORMANCE_FAILURES) expect(f.reason.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(JSON.parse(conformancePackTemplate(HIPAA_RULES)).Resources)).toContain("IamNoInlinePolicyCheck");
  });

  it("stays under the conformance pack's template size limit (51,200 bytes)", () => {
    expect(conformancePackTemplate(HIPAA_RULES).length).toBeLessThan(51200);
  });
});

describe("Detector", () => {
  const stack = moduleStack();
  new Detector(stack, "guardduty", { alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:keel-test-alarms" });
  const json = synth(stack);

  it("matches the snapshot", () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("publishes findings every 15 minutes", () => {
    expect(only(json, "aws_guardduty_detector")).toMatchObject({ enable: true, finding_publishing_frequency: "FIFTEEN_MINUTES" });
  });

  it("turns on S3 data events, RDS logins, EBS malware scans, Fargate runtime monitoring with agent management, and Lambda network logs", () => {
    const features = Object.values(resources(json, "aws_guardduty_detector_feature"));
    expect(features).toHaveLength(DETECTOR_FEATURES.length);
    expect(features.map((f) => [f.name, f.status, f.additional_configuration]).sort()).toEqual([
      ["EBS_MALWARE_PROTECTION", "ENABLED", undefined],
      ["LAMBDA_NETWORK_LOGS", "ENABLED", undefined],
      ["RDS_LOGIN_EVENTS", "ENABLED", undefined],
      ["RUNTIME_MONITORING", "ENABLED", [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }]],
      ["S3_DATA_EVENTS", "ENABLED", undefined],
    ]);
  });

  it("sends findings of severity 7 and up to the alarm topic through EventBridge", () => {
    expect(JSON.parse(only(json, "aws_cloudwatch_event_rule").event_pattern as string)).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", 7] }] },
    });
    expect(only(json, "aws_cloudwatch_event_target")).toMatchObject({ arn: "arn:aws:sns:us-east-1:111122223333:keel-test-alarms" });
  });

  it("rejects a severity GuardDuty does not use", () => {
    expect(() => new Detector(moduleStack(), "g", { alarmTopicArn: "arn:x", minimumSeverity: 9 })).toThrow("field 'minimumSeverity': value 9 is not allowed");
  });
});
