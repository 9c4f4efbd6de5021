import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig } from "../environments";
import { buildAccountsAndEnvironments } from "../stacks";
import { DEFAULT_USAGE, FREE_TYPES, PRICERS, compareCosts, estimate, renderCost, renderCostComparison } from "../tools/review/cost";
import { PRICES, PRICE_TABLE_REVIEWED } from "../tools/review/prices";
import { realStacks, synthJson } from "./support/stacks";

type Stack = Parameters<typeof estimate>[0];
const CLUSTER = (min: number, max: number) => ({ aurora: { serverlessv2_scaling_configuration: { min_capacity: min, max_capacity: max } } });
const INSTANCE = { instance_class: "db.serverless", cluster_identifier: "${aws_rds_cluster.aurora.id}" };
const line = (stack: Stack, address: string, usage = {}) => estimate(stack, usage).lines.find((l) => l.address === address)?.monthly;

describe("keel cost: figures checked by hand", () => {
  it("prices a 0.5 ACU Aurora Serverless v2 instance at $43.80 a month ($0.12 per ACU-hour)", () => {
    expect(line({ resource: { aws_rds_cluster: CLUSTER(0.5, 1), aws_rds_cluster_instance: { writer: INSTANCE } } }, "aws_rds_cluster_instance.writer")).toBe(43.8);
  });

  it("prices writer and readers each (seed 002 prices its writer-and-reader cluster as one instance)", () => {
    const stack = { resource: { aws_rds_cluster: CLUSTER(0.5, 8), aws_rds_cluster_instance: { writer: INSTANCE, reader_1: INSTANCE } } };
    const instances = estimate(stack).lines.filter((l) => l.type === "aws_rds_cluster_instance");
    expect(instances.map((l) => l.monthly)).toEqual([43.8, 43.8]);
  });

  it("prices Aurora between its min and max at the stated average load", () => {
    expect(line({ resource: { aws_rds_cluster: CLUSTER(0.5, 8), aws_rds_cluster_instance: { writer: INSTANCE } } }, "aws_rds_cluster_instance.writer", { auroraLoad: 0.5 })).toBe(372.3);
  });

  it("prices one NAT gateway at $32.85 a month, plus data (seeds 001 and 002 say $32-35)", () => {
    const stack = { resource: { aws_nat_gateway: { a: {} } } };
    expect(line(stack, "aws_nat_gateway.a")).toBe(32.85);
    expect(line(stack, "aws_nat_gateway.a", { natGbPerGateway: 100 })).toBe(37.35);
  });

  it("prices a db.t4g.small with 20 GB gp3 at about $26 (seed 001 says $26)", () => {
    const monthly = line({ resource: { aws_db_instance: { db: { instance_class: "db.t4g.small", allocated_storage: 20 } } } }, "aws_db_instance.db")!;
    expect(monthly).toBe(25.66);
    expect(Math.round(monthly)).toBe(26);
  });

  it("prices seed 003's five Fargate tasks of 0.5 vCPU and 1 GB at about $90", () => {
    const task = { aws_ecs_task_definition: { t: { cpu: "512", memory: "1024" } } };
    const services = { api: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 2 }, web: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 2 }, worker: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 1 } };
    const report = estimate({ resource: { ...task, aws_ecs_service: services } });
    expect(report.total).toBe(90.1);
  });

  it("prices a public IPv4 address at $3.65 a month: seed 003's three NAT EIPs are $10.95 its authors never priced", () => {
    expect(estimate({ resource: { aws_eip: { a: {}, b: {}, c: {} } } }).total).toBe(10.95);
  });
});

describe("keel cost: coverage", () => {
  const examples = buildAccountsAndEnvironments(Testing.app(), loadConfig(path.join(__dirname, "..", "examples")), "examples");
  const stacks = [
    ...realStacks().values(),
    ...examples.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack),
  ];

  it("prices or declares free every resource type Keel creates, in every stack and example", () => {
    // The reference's 5 stacks, and the examples' 4 environments with their 4 account stacks.
    expect(stacks.length).toBe(13);
    const types = new Set(stacks.flatMap((s) => Object.keys(synthJson(s).resource ?? {})));
    expect(types.size).toBeGreaterThan(50);
    const neither = [...types].filter((t) => PRICERS[t] === undefined && !FREE_TYPES.includes(t)).sort();
    expect(neither).toEqual([]);
    for (const stack of stacks) expect({ stack: stack.node.id, unpriced: estimate(synthJson(stack)).unpriced }).toEqual({ stack: stack.node.id, unpriced: [] });
  });

  it("lists a type it does not know as unpriced, never drops it", () => {
    const report = estimate({ resource: { aws_nat_gateway: { a: {} }, aws_memorydb_cluster: { cache: {} } } });
    expect(report.unpriced).toEqual(["aws_memorydb_cluster.cache"]);
    expect(report.total).toBe(32.85);
  });

  it("names a source page for every price, and dates the table", () => {
    expect(PRICE_TABLE_REVIEWED).toBe("2026-11-22");
    for (const [name, price] of Object.entries(PRICES)) expect({ name, source: price.source }).toEqual({ name, source: expect.stringMatching(/^https:\/\/aws\.amazon\.com\//) });
  });
});

describe("keel cost: output", () => {
  const production = estimate(synthJson(realStacks().get("production")!));

  it("has a numeric total and the unpriced list in its JSON, and prints its assumptions", () => {
    expect(typeof production.total).toBe("number");
    expect(production.unpriced).toEqual([]);
    expect(production.assumptions).toEqual(DEFAULT_USAGE);
    const text = renderCost(production);
    expect(text.split("\n")[0]).toBe(`Estimated cost: $${production.total.toFixed(2)} a month (us-east-1 on-demand, price table 2026-11-22)`);
    expect(text).toContain("Assumptions: hours=730, auroraLoad=0, auroraStorageGb=20");
  });

  it("prices production's request path and data tier", () => {
    const by = Object.fromEntries(production.lines.map((l) => [l.address, l.monthly]));
    expect(by["aws_rds_cluster_instance.aurora_writer"]).toBe(43.8);
    expect(by["aws_ecs_service.ecs_api"] + by["aws_ecs_service.ecs_web"] + by["aws_ecs_service.ecs_worker"]).toBeCloseTo(90.1, 2);
    expect(["a", "b", "c"].map((az) => by[`aws_nat_gateway.vpc_nat_us_east_1${az}`])).toEqual([32.85, 32.85, 32.85]);
  });

  it("compares two estimates per resource", () => {
    const before = estimate({ resource: { aws_nat_gateway: { a: {} }, aws_eip: { a: {} } } });
    const after = estimate({ resource: { aws_nat_gateway: { a: {}, b: {} } } });
    expect(compareCosts(before, after)).toEqual({
      lines: [
        { address: "aws_nat_gateway.b", before: 0, after: 32.85, change: 32.85 },
        { address: "aws_eip.a", before: 3.65, after: 0, change: -3.65 },
      ],
      change: 29.2,
    });
  });

  it("renders a comparison as Markdown when asked (--compare with --markdown), with the assumptions it was priced with", () => {
    const before = estimate({ resource: { aws_nat_gateway: { a: {} }, aws_eip: { a: {} } } });
    const after = estimate({ resource: { aws_nat_gateway: { a: {}, b: {} } } });
    const markdown = renderCostComparison("dev", "main", before, after, true);
    expect(markdown.split("\n").slice(0, 6)).toEqual([
      "### Estimated cost of dev: $36.50 at `main` → $65.70 (+$29.20 a month)",
      "",
      "| resource | before | after | change |",
      "| --- | ---: | ---: | ---: |",
      "| `aws_nat_gateway.b` | $0.00 | $32.85 | +$32.85 |",
      "| `aws_eip.a` | $3.65 | $0.00 | -$3.65 |",
    ]);
    expect(markdown).toMatch(/^Assumptions: /m);
    const text = renderCostComparison("dev", "main", before, after);
    expect(text.split("\n")[0]).toBe("Monthly cost of dev: $36.50 at main -> $65.70 now (+$29.20)");
    expect(text).not.toContain("|");
    expect(renderCostComparison("dev", "main", after, after, true)).toContain("No resource's price changes.");
  });
});
