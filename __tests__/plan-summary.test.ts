import { COMMENT_LIMIT, destroyCount, renderMarkdown, renderText, summarizePlan } from "../tools/review/plan-summary";

const change = (address: string, actions: string[], extra: Record<string, unknown> = {}, changeExtra: Record<string, unknown> = {}) => ({
  address,
  type: address.split(".")[0],
  change: { actions, before: {}, after: {}, after_unknown: {}, ...changeExtra },
  ...extra,
});

const plan = {
  resource_changes: [
    change("aws_vpc.vpc", ["create"]),
    change("aws_secretsmanager_secret.api", ["update"], {}, {
      before: { description: "old", kms_key_id: "k1" },
      after: { description: "new", kms_key_id: "k2" },
      before_sensitive: { kms_key_id: true },
      after_sensitive: { kms_key_id: true },
    }),
    change("aws_rds_cluster.aurora", ["delete", "create"], {}, { before: { engine: "aurora-postgresql", cluster_identifier: "a" }, after: { engine: "aurora-postgresql", cluster_identifier: "b" }, replace_paths: [["cluster_identifier"]] }),
    change("aws_kms_key.old", ["delete"]),
    change("aws_iam_role.app", ["no-op"], { previous_address: "aws_iam_role.application" }),
    change("aws_s3_bucket.logs", ["no-op"], {}, { importing: { id: "keel-logs" } }),
    change("data.aws_caller_identity.current", ["read"]),
  ],
};
const summary = summarizePlan(plan);

describe("the plan summary", () => {
  it("counts creates, updates, replacements and deletes; a replacement is a destroy too", () => {
    expect(summary.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 1 });
    expect(destroyCount(summary)).toBe(2);
    expect(summary.byType.aws_rds_cluster).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
  });

  it("puts stateful replacements and deletes first, with what forces the replacement", () => {
    expect(summary.destroysStateful.map((c) => [c.address, c.action, c.replacedBecause])).toEqual([
      ["aws_rds_cluster.aurora", "replace", ["cluster_identifier"]],
      ["aws_kms_key.old", "delete", []],
    ]);
    expect(renderText(summary).split("\n").slice(0, 5)).toEqual([
      "Plan: 1 to import, 1 to create, 1 to update, 1 to replace, 1 to delete (2 destroyed)",
      "",
      "!! STATEFUL RESOURCES DESTROYED:",
      "   REPLACE aws_rds_cluster.aurora (forced by: cluster_identifier)",
      "   DELETE aws_kms_key.old",
    ]);
  });

  it("lists changed attributes before and after, masking sensitive values", () => {
    expect(summary.changes.find((c) => c.address === "aws_secretsmanager_secret.api")?.attributes).toEqual([
      { path: "description", before: '"old"', after: '"new"' },
      { path: "kms_key_id", before: "(sensitive)", after: "(sensitive)" },
    ]);
    expect(renderText(summary)).not.toContain("k2");
  });

  it("lists moved and imported resources, and leaves data reads out", () => {
    expect(summary.moved.map((c) => [c.movedFrom, c.address])).toEqual([["aws_iam_role.application", "aws_iam_role.app"]]);
    expect(summary.imported.map((c) => [c.address, c.importedId])).toEqual([["aws_s3_bucket.logs", "keel-logs"]]);
    expect(JSON.stringify(summary)).not.toContain("aws_caller_identity");
  });

  it("writes Markdown that warns about stateful destroys and tabulates by type", () => {
    const md = renderMarkdown(summary);
    expect(md).toContain("> [!CAUTION]\n> **Stateful resources destroyed:**\n> - `REPLACE aws_rds_cluster.aurora (forced by: cluster_identifier)`");
    expect(md).toContain("| `aws_vpc` | 1 | 0 | 0 | 0 |");
    expect(md).toContain("<details><summary>update <code>aws_secretsmanager_secret.api</code></summary>");
  });

  it("fits one pull-request comment, and says what it left out", () => {
    const many = {
      resource_changes: Array.from({ length: 3000 }, (_, i) =>
        change(`aws_ssm_parameter.p${i}`, ["update"], {}, { before: { value: "x".repeat(40), description: `old ${i}` }, after: { value: "y".repeat(40), description: `new ${i}` } }),
      ),
    };
    const md = renderMarkdown(summarizePlan(many));
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toMatch(/_\d+ more changes left out to fit one comment \(65535 characters\); run `keel plan --json` for all\._$/);
    expect(renderMarkdown(summarizePlan(many), 2000).length).toBeLessThanOrEqual(2000);
  });
});
