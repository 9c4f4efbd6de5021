import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Label, NAME_LIMITS, fitName, normalizeName } from "../modules/label";

const tags = { owner: "platform-team", costCenter: "cc-1", dataClassification: "restricted" };
const label = new Label({ namespace: "Keel", environment: "production", tags, accountId: "111122223333", region: "us-east-1" });

describe("Label naming", () => {
  it("builds <namespace>-<environment>-<name>, lower-case", () => {
    expect(label.id("Flow Logs")).toBe("keel-production-flowlogs");
    expect(label.id("bastion_sessions")).toBe("keel-production-bastionsessions");
    expect(label.prefix).toBe("keel-production");
  });

  it("removes characters outside [-a-z0-9] and folds dashes", () => {
    expect(normalizeName("--A__b--c..D--")).toBe("ab-cd");
  });

  it("fits a long name to the service limit with a stable hash", () => {
    const name = label.id("a-very-long-application-load-balancer-name", "loadBalancer");
    expect(name).toHaveLength(NAME_LIMITS.loadBalancer);
    expect(name).toMatch(/^keel-production-a-very-lo-[0-9a-f]{6}$/);
    expect(label.id("a-very-long-application-load-balancer-name", "loadBalancer")).toBe(name);
  });

  it("keeps two long names that share a head distinct", () => {
    const a = fitName(["keel", "production", "application-load-balancer-one"], 32);
    const b = fitName(["keel", "production", "application-load-balancer-two"], 32);
    expect(a.slice(0, 25)).toBe(b.slice(0, 25));
    expect(a).not.toBe(b);
  });

  it("leaves a name within its limit untouched", () => {
    expect(label.id("db", "dbCluster")).toBe("keel-production-db");
  });

  it("rejects parts that reduce to nothing", () => {
    expect(() => fitName(["__", "!!"], 63)).toThrow('Name parts ["__","!!"] leave nothing once reduced to [-a-z0-9]');
  });

  it("rejects an empty environment", () => {
    expect(() => new Label({ namespace: "keel", environment: "__", tags, accountId: "1", region: "r" })).toThrow(
      'Label needs a namespace and an environment made of [-a-z0-9]; got "keel" and "__"',
    );
  });
});

describe("Label tags and ARNs", () => {
  it("produces the six default tags from config", () => {
    expect(label.tags).toEqual({
      Project: "keel",
      Environment: "production",
      ManagedBy: "keel-cdktf",
      Owner: "platform-team",
      CostCenter: "cc-1",
      DataClassification: "restricted",
    });
  });

  it("builds ARNs and service hosts from the stack's account and region", () => {
    expect(label.arn("logs", "log-group:*")).toBe("arn:aws:logs:us-east-1:111122223333:log-group:*");
    expect(label.accountRootArn).toBe("arn:aws:iam::111122223333:root");
    expect(label.serviceHost("logs")).toBe("logs.us-east-1.amazonaws.com");
  });
});

describe("Label.of", () => {
  it("finds the label attached to an ancestor", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    Label.attach(stack, label);
    const child = new Construct(new Construct(stack, "a"), "b");
    expect(Label.of(child)).toBe(label);
  });

  it("says how to fix a missing label", () => {
    const stack = new TerraformStack(Testing.app(), "lonely");
    expect(() => Label.of(new Construct(stack, "x"))).toThrow(
      "No Label is attached above 'lonely/x': call Label.attach(stack, label) when the stack is created",
    );
  });
});
