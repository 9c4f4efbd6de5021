import { Testing } from "cdktf";
import { Bastion, BastionProps } from "../modules/bastion";
import { InterfaceEndpointService, Vpc, VpcProps } from "../modules/vpc";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, ref, resources, synth } from "./support/module-stack";
import { testVpc } from "./support/network";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/logs";

function build(extra: Partial<BastionProps> = {}, network: Partial<VpcProps> = {}, namespace = "keel") {
  const stack = moduleStack("test", namespace);
  const vpc = testVpc(stack, { singleNatGateway: false, createDatabaseNatGatewayRoute: true, flowLogKmsKeyArn: KEY, ...network });
  const bastion = new Bastion(stack, "bastion", {
    network: vpc,
    volumeKmsKeyArn: KEY,
    logKmsKeyArn: KEY,
    sessionLogRetentionInDays: 365,
    protection: PROTECTION_PROFILES.production,
    ...extra,
  });
  return { stack, bastion, json: synth(stack), text: Testing.synth(stack) };
}

describe("Bastion", () => {
  const { json, text } = build();
  const instance = only(json, "aws_instance");
  const template = only(json, "aws_launch_template");

  it("matches the snapshot", () => {
    expect(text).toMatchSnapshot();
  });

  it("lives in the first data subnet with no public IP and no key pair", () => {
    expect(instance).toMatchObject({ subnet_id: ref("aws_subnet", "vpc_database_us_east_1a", "id"), associate_public_ip_address: false });
    expect(text).not.toMatch(/key_name|aws_key_pair/);
  });

  it("has no ingress rule at all: Session Manager only", () => {
    const group = resources(json, "aws_security_group").bastion_security_group;
    expect(group).not.toHaveProperty("ingress");
    expect(resources(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(only(json, "aws_vpc_security_group_egress_rule")).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: "tcp" });
  });

  it("takes its user data from the launch template only, and ignores the provider's re-hashed user_data (no update on every plan)", () => {
    expect(template.user_data).toEqual(expect.any(String));
    expect(instance).not.toHaveProperty("user_data");
    expect(instance.lifecycle).toEqual({ ignore_changes: ["user_data"] });
    // A new template version still replaces the instance: the version is a reference, not ignored.
    expect(instance.launch_template).toEqual({ id: ref("aws_launch_template", "bastion_launch_template", "id"), version: ref("aws_launch_template", "bastion_launch_template", "latest_version") });
  });

  it("requires IMDSv2", () => {
    expect(template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
  });

  it("encrypts its root volume with the given key", () => {
    expect(template.block_device_mappings).toEqual([
      expect.objectContaining({ device_name: "/dev/xvda", ebs: expect.objectContaining({ encrypted: "true", kms_key_id: KEY }) }),
    ]);
  });

  it("has an instance profile with the SSM core policy", () => {
    expect(template.iam_instance_profile).toEqual({ arn: ref("aws_iam_instance_profile", "bastion_instance_profile", "arn") });
    expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    const trust = JSON.parse(resources(json, "aws_iam_role").bastion_role.assume_role_policy as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
  });

  it("logs sessions to an encrypted log group with retention, through its own preferences document", () => {
    expect(resources(json, "aws_cloudwatch_log_group").bastion_session_log_group).toMatchObject({
      name: "/aws/ssm/keel-test-bastion-sessions",
      kms_key_id: KEY,
      retention_in_days: 365,
    });
    const document = only(json, "aws_ssm_document");
    expect(document).toMatchObject({ name: "keel-test-bastion-session-preferences", document_type: "Session" });
    expect(JSON.parse(document.content as string).inputs).toMatchObject({
      cloudWatchLogGroupName: "/aws/ssm/keel-test-bastion-sessions",
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      runAsEnabled: false,
    });
  });

  it("tags what EC2 makes from the template (instance, root volume, network interface) with the default tags too", () => {
    const expected = {
      Project: "keel",
      Environment: "test",
      ManagedBy: "keel-cdktf",
      Owner: "o",
      CostCenter: "c",
      DataClassification: "internal",
      Name: "keel-test-bastion",
    };
    expect(template.tag_specifications).toEqual([
      { resource_type: "instance", tags: expected },
      { resource_type: "volume", tags: expected },
      { resource_type: "network-interface", tags: expected },
    ]);
  });

  it("installs psql with a user data script that stops on the first error and retries the install", () => {
    const script = Buffer.from(template.user_data as string, "base64").toString("utf8");
    expect(script.split("\n").slice(0, 2)).toEqual(["#!/bin/bash", "set -euo pipefail"]);
    expect(script).toContain("for attempt in 1 2 3 4 5; do");
    expect(script).toContain("if dnf install -y postgresql15; then exit 0; fi");
    expect(script.trim().split("\n").pop()).toBe("exit 1");
  });

  it("gives operators a policy that starts sessions only through the logging document", () => {
    const policy = only(json, "aws_iam_policy");
    expect(policy.name).toBe("keel-test-bastion-connect");
    expect(JSON.parse(policy.policy as string).Statement).toEqual([
      {
        Sid: "StartLoggedSessionsOnBastion",
        Effect: "Allow",
        Action: "ssm:StartSession",
        Resource: [
          "arn:aws:ec2:us-east-1:111122223333:instance/${aws_instance.bastion.id}",
          "arn:aws:ssm:us-east-1:111122223333:document/${aws_ssm_document.bastion_session_preferences.name}",
        ],
        Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
      },
      {
        Sid: "ManageOwnSessions",
        Effect: "Allow",
        Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
        Resource: "arn:aws:ssm:us-east-1:111122223333:session/$${aws:userid}-*",
      },
    ]);
  });

  it("grants a role the same through grantConnect", async () => {
    const { ServiceRole } = await import("../modules/iam");
    const { stack, bastion } = build();
    const operator = new ServiceRole(stack, "operator", { purpose: "operator", servicePrincipal: "ec2.amazonaws.com" });
    bastion.grantConnect(operator);
    const policies = Object.values(resources(synth(stack), "aws_iam_role_policy"));
    const statements = policies.flatMap((p) => JSON.parse(p.policy as string).Statement as Array<{ Sid: string; Condition?: unknown }>);
    expect(statements.find((st) => st.Sid === "StartLoggedSessionsOnBastion")?.Condition).toEqual({ BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } });
    expect(statements.map((st) => st.Sid)).toContain("ManageOwnSessions");
  });

  it("forwards a local port to the allowed databases only, through a document of its own, and lets operators read their master secrets (keel db-shell)", async () => {
    const { Aurora } = await import("../modules/aurora");
    const { stack, bastion } = build();
    const vpc = stack.node.findChild("vpc") as Vpc;
    const aurora = new Aurora(stack, "aurora", {
      network: vpc,
      protection: PROTECTION_PROFILES.production,
      engineVersion: "15.10",
      storageKmsKeyArn: KEY,
      secretKmsKeyArn: KEY,
      logKmsKeyArn: KEY,
      restore: { name: "r1", snapshot: "rds:keel-test-aurora-2026-12-05-03-00" },
    });
    expect(bastion.tunnelDocumentName).toBeUndefined();
    bastion.allowTunnelTo(aurora);
    const out = synth(stack);
    const documents = resources(out, "aws_ssm_document");
    expect(Object.keys(documents).sort()).toEqual(["bastion_db_tunnel", "bastion_session_preferences"]);
    const tunnel = documents.bastion_db_tunnel;
    expect(tunnel).toMatchObject({ name: "keel-test-bastion-db-tunnel", document_type: "Session", document_format: "JSON" });
    const content = JSON.parse(tunnel.content as string);
    expect(content.sessionType).toBe("Port");
    expect(content.properties).toEqual({ type: "LocalPortForwarding", host: "{{ host }}", portNumber: "{{ portNumber }}", localPortNumber: "{{ localPortNumber }}" });
    // Exactly the original and the restored cluster's writer endpoints, and only PostgreSQL's port.
    expect(content.parameters.host.allowedValues).toEqual(["${aws_rds_cluster.aurora.endpoint}", "${aws_rds_cluster.aurora_restore.endpoint}"]);
    expect(content.parameters.host).not.toHaveProperty("default");
    expect(content.parameters.portNumber.allowedValues).toEqual(["5432"]);
    for (const [port, ok] of [["0", true], ["15432", true], ["65535", true], ["65536", false], ["5432;rm", false], ["", false]] as const) {
      expect({ port, ok: new RegExp(content.parameters.localPortNumber.allowedPattern).test(port) }).toEqual({ port, ok });
    }
    const statements = JSON.parse(only(out, "aws_iam_policy").policy as string).Statement as Array<{ Sid: string; Action: unknown; Resource: unknown; Condition?: unknown }>;
    expect(statements.map((st) => st.Sid)).toEqual([
      "StartLoggedSessionsOnBastion",
      "ManageOwnSessions",
      "ReadAuroraMasterSecret",
      "DecryptAuroraMasterSecret",
      "ReadAuroraRestoreMasterSecret",
      "DecryptAuroraRestoreMasterSecret",
      "StartDatabaseTunnelsOnBastion",
    ]);
    expect(statements.find((st) => st.Sid === "StartDatabaseTunnelsOnBastion")).toEqual({
      Sid: "StartDatabaseTunnelsOnBastion",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: ["arn:aws:ec2:us-east-1:111122223333:instance/${aws_instance.bastion.id}", "arn:aws:ssm:us-east-1:111122223333:document/keel-test-bastion-db-tunnel"],
      Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
    });
    expect(statements.find((st) => st.Sid === "ReadAuroraMasterSecret")?.Resource).toBe("${aws_rds_cluster.aurora.master_user_secret[0].secret_arn}");
    // A role granted before the tunnel existed gets its statements too.
    const { ServiceRole } = await import("../modules/iam");
    const { stack: later, bastion: other } = build();
    const operator = new ServiceRole(later, "operator", { purpose: "operator", servicePrincipal: "ec2.amazonaws.com" });
    other.grantConnect(operator);
    other.allowTunnelTo({ tunnelTargets: [{ host: "db.example", port: 5432 }] });
    const granted = Object.values(resources(synth(later), "aws_iam_role_policy")).flatMap((p) => (JSON.parse(p.policy as string).Statement as Array<{ Sid: string }>).map((st) => st.Sid));
    expect(granted).toContain("StartDatabaseTunnelsOnBastion");
    // Never AWS's own remote-host document, which forwards to any host the VPC reaches.
    expect(JSON.stringify(statements)).not.toContain("AWS-StartPortForwardingSessionToRemoteHost");
  });

  it("resolves the AMI from the public SSM parameter at launch: no data source, offline plans keep working", () => {
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(json.data).toBeUndefined();
    expect(instance).not.toHaveProperty("ami");
  });

  it("takes a pinned AMI instead, when given one", () => {
    expect(only(build({ ami: { imageId: "ami-0123456789abcdef0", architecture: "x86_64" } }).json, "aws_launch_template").image_id).toBe("ami-0123456789abcdef0");
  });

  it("may reach Aurora on 5432 once granted (aurora.allowFrom(bastion))", async () => {
    const { Aurora } = await import("../modules/aurora");
    const { stack, bastion } = build();
    const vpc = stack.node.findChild("vpc") as Vpc;
    new Aurora(stack, "aurora", {
      network: vpc,
      protection: PROTECTION_PROFILES.production,
      engineVersion: "15.10",
      minCapacity: 0.5,
      maxCapacity: 1,
      storageKmsKeyArn: KEY,
      secretKmsKeyArn: KEY,
      logKmsKeyArn: KEY,
      logRetentionInDays: 30,
    }).allowFrom(bastion);
    const egress = resources(synth(stack), "aws_vpc_security_group_egress_rule").aurora_bastion_egress_to_aurora;
    expect(egress).toMatchObject({
      security_group_id: ref("aws_security_group", "bastion_security_group", "id"),
      from_port: 5432,
      referenced_security_group_id: ref("aws_security_group", "aurora_security_group", "id"),
    });
  });

  describe("validation (before any resource is created)", () => {
    it("rejects a tier that cannot reach Session Manager", () => {
      expect(() => build({}, { createDatabaseNatGatewayRoute: false })).toThrow(
        "Bastion: field 'subnetTier': value \"database\" is not allowed: a tier that reaches Session Manager: the database subnets have no NAT route and the network lacks the interface endpoints ssm, ssmmessages and ec2messages",
      );
    });

    it("rejects a public subnet: without a public IP, its internet gateway route does not reach Session Manager", () => {
      expect(() => build({ subnetTier: "public" })).toThrow(
        "Bastion: field 'subnetTier': value \"public\" is not allowed: a tier that reaches Session Manager: the bastion has no public IP, so a public subnet's internet gateway does not carry its traffic",
      );
    });

    it("accepts a public subnet with the SSM interface endpoints", () => {
      const endpoints: InterfaceEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];
      expect(only(build({ subnetTier: "public" }, { interfaceEndpoints: endpoints }).json, "aws_instance").associate_public_ip_address).toBe(false);
    });

    it.each([
      ["t3.mini", "a size of a family Keel supports (modules/bastion/constants.ts): t3, t3a, t4g, m6i, m7i, m6g, m7g, c7g, c7i, e.g. t3.micro"],
      ["x1e.micro", "a size of a family Keel supports"],
      ["t3", "a size of a family Keel supports"],
    ])("rejects instance type %s, which Keel does not know", (instanceType, allowed) => {
      expect(() => build({ instanceType })).toThrow(`Bastion: field 'instanceType': value "${instanceType}" is not allowed: ${allowed}`);
    });

    it("rejects an arm64 type with the default x86_64 AMI, naming both architectures", () => {
      expect(() => build({ instanceType: "t4g.micro" })).toThrow(
        "Bastion: field 'instanceType': value \"t4g.micro\" is not allowed: an x86_64 type, the AMI's architecture (t4g.micro is arm64)",
      );
    });

    it("rejects an x86_64 type with a pinned arm64 AMI", () => {
      expect(() => build({ instanceType: "t3.micro", ami: { imageId: "ami-0123456789abcdef0", architecture: "arm64" } })).toThrow("an arm64 type, the AMI's architecture (t3.micro is x86_64)");
    });

    it("runs arm64 on the arm64 AL2023 parameter", () => {
      const { json } = build({ instanceType: "t4g.small", ami: { ssmParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" } });
      expect(only(json, "aws_launch_template")).toMatchObject({ instance_type: "t4g.small" });
    });

    it("rejects an AMI parameter whose architecture it cannot tell", () => {
      expect(() => build({ ami: { ssmParameter: "/my/ami" } })).toThrow("Bastion: field 'ami.ssmParameter': value \"/my/ami\" is not allowed: a parameter whose name ends in its architecture");
    });

    it("accepts an isolated tier when the SSM interface endpoints exist", () => {
      const endpoints: InterfaceEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];
      expect(() => build({}, { enableNatGateway: false, createDatabaseNatGatewayRoute: false, interfaceEndpoints: endpoints })).not.toThrow();
    });

    it.each(["aws-platform", "amazonia", "amzn"])("rejects namespace %s: the composed session document name starts with a prefix AWS reserves", (namespace) => {
      expect(() => build({}, {}, namespace)).toThrow(
        `Bastion: field '(session document name)': value "${namespace}-test-bastion-session-preferences" is not allowed: an SSM document name not starting with aws, amazon or amzn (AWS reserves them): change the namespace`,
      );
    });

    it("rejects a malformed AMI id", () => {
      expect(() => build({ ami: { imageId: "ubuntu", architecture: "x86_64" } })).toThrow("Bastion: field 'ami.imageId': value \"ubuntu\" is not allowed: an AMI id such as ami-0123456789abcdef0");
    });

    it("rejects a session log retention CloudWatch does not accept", () => {
      expect(() => build({ sessionLogRetentionInDays: 100 })).toThrow("Bastion: field 'sessionLogRetentionInDays': value 100 is not allowed: one of 1, 3, 5");
    });

    it("rejects a tier without subnets", () => {
      expect(() => build({ subnetTier: "public" }, { publicSubnets: [], enableNatGateway: false, createDatabaseNatGatewayRoute: false })).toThrow(
        "Bastion: field 'subnetTier': value \"public\" is not allowed: a tier the network has subnets in",
      );
    });
  });
});
