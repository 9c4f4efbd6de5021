import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { synthesize } from "../tools/stacks";
import { Diagram, drawStack, toPng, wrapLabel } from "../tools/diagram/render";

// keel diagram, on every synthesized stack and example: containment boxes,
// request and traffic edges only, and the same bytes every time.

const outDir = path.join(WORK, "test-out-diagram");
const diagrams = new Map<string, Diagram>();
let names: string[] = [];

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  // The reference platform, whose production the assertions and docs/production.svg draw; environments/ is the team's.
  const stacks = await synthesize(path.join(outDir, "stacks-out"), { config: "examples/omnirapeutic" });
  const examples = await synthesize(path.join(outDir, "examples-out"), { examples: true });
  for (const [dir, list] of [
    ["stacks-out", stacks],
    ["examples-out", examples],
  ] as const) {
    // The examples' account stacks share their names with the environments' (same account ids): keyed apart.
    for (const name of list) diagrams.set(key(dir, name), await drawStack(path.join(outDir, dir, "stacks", name, "cdk.tf.json"), name));
  }
  names = [...stacks.map((n) => key("stacks-out", n)), ...examples.map((n) => key("examples-out", n))];
}, 60_000);

function key(dir: string, name: string): string {
  return dir === "examples-out" && name.startsWith("account-") ? `examples/${name}` : name;
}

const edgesOf = (name: string): string[] => diagrams.get(name)!.model.edges.map((e) => `${e.from} -> ${e.to}: ${e.labels.join(" | ")}`).sort();

it("draws every stack and example as SVG", () => {
  // 5 stacks; 4 examples, each with its account stack.
  expect(names).toHaveLength(13);
  for (const name of names) {
    const svg = diagrams.get(name)!.svg;
    expect({ name, svg: svg.startsWith("<?xml") && svg.trimEnd().endsWith("</svg>") }).toEqual({ name, svg: true });
  }
});

it("nests production as region, VPC, three AZs and their subnet tiers", () => {
  const { dot, model } = diagrams.get("production")!;
  expect(model.region).toBe("us-east-1");
  expect(dot).toContain('label="Region us-east-1"');
  expect(dot).toContain('label="VPC omnirapeutic-production\\n10.0.0.0/16"');
  for (const az of ["us-east-1a", "us-east-1b", "us-east-1c"]) expect(dot).toContain(`label="AZ ${az}"`);
  expect(model.subnets.map((s) => `${s.az} ${s.tier}`).sort()).toEqual(
    ["a", "b", "c"].flatMap((z) => ["database", "private", "public"].map((t) => `us-east-1${z} ${t}`)).sort(),
  );
  // One NAT gateway in each public subnet; the bastion in a database subnet (as seed 003 places it).
  expect(model.subnets.filter((s) => s.nodes.some((n) => n.id.startsWith("aws_nat_gateway."))).map((s) => s.tier)).toEqual(["public", "public", "public"]);
  expect(model.subnets.find((s) => s.nodes.some((n) => n.id === "aws_instance.bastion"))?.tier).toBe("database");
});

it("draws production's request path and allowed traffic, and nothing else: ALB to api and web on their ports, services to Aurora on 5432", () => {
  expect(edgesOf("production")).toEqual([
    "aws_ecs_service.ecs_api -> aws_rds_cluster.aurora: tcp 5432",
    "aws_ecs_service.ecs_worker -> aws_rds_cluster.aurora: tcp 5432",
    "aws_instance.bastion -> aws_rds_cluster.aurora: tcp 5432",
    "aws_internet_gateway.vpc_internet_gateway -> internet: internet",
    "aws_lb.alb -> aws_ecs_service.ecs_api: tcp 8080 | HTTP :80 /api/* -> 8080",
    "aws_lb.alb -> aws_ecs_service.ecs_web: tcp 8080 | HTTP :80 -> 8080",
    ...["a", "b", "c"].map((z) => `aws_subnet.vpc_database_us_east_1${z} -> aws_nat_gateway.vpc_nat_us_east_1${z}: 0.0.0.0/0`),
    ...["a", "b", "c"].map((z) => `aws_subnet.vpc_private_us_east_1${z} -> aws_nat_gateway.vpc_nat_us_east_1${z}: 0.0.0.0/0`),
    ...["a", "b", "c"].map((z) => `aws_subnet.vpc_public_us_east_1${z} -> aws_internet_gateway.vpc_internet_gateway: 0.0.0.0/0`),
    "aws_wafv2_web_acl.waf -> aws_lb.alb: inspects",
    "internet -> aws_lb.alb: tcp 443 | tcp 80",
  ]);
});

it("puts services outside the VPC beside it: the edge, identity, messaging and storage of seed 004, the account services", () => {
  const beside = (name: string) => Object.fromEntries([...diagrams.get(name)!.model.beside].map(([g, nodes]) => [g, nodes.map((n) => n.id.split(".")[0]).sort()]));
  expect(beside("outreachpass")).toMatchObject({
    Edge: ["aws_apigatewayv2_api", "aws_cloudfront_distribution"],
    Identity: ["aws_cognito_user_pool"],
    Messaging: expect.arrayContaining(["aws_sqs_queue", "aws_sesv2_email_identity"]),
    Storage: expect.arrayContaining(["aws_s3_bucket"]),
  });
  expect(beside("account-111122223333-us-east-1")["Account services"]).toEqual(["aws_cloudtrail", "aws_config_configuration_recorder", "aws_guardduty_detector"]);
  expect(edgesOf("outreachpass")).toEqual(
    expect.arrayContaining([
      "aws_sqs_queue.queues_pass_generation -> aws_lambda_function.functions_worker: events",
      expect.stringMatching(/^aws_apigatewayv2_api\.\S+ -> aws_lambda_function\.functions_backend: integration$/),
      expect.stringMatching(/^aws_lambda_function\.functions_backend -> aws_rds_cluster\.aurora: tcp 5432$/),
    ]),
  );
});

it("gives byte-identical SVG for the same stack, and the committed production diagram is current", async () => {
  const again = await drawStack(path.join(outDir, "stacks-out", "stacks", "production", "cdk.tf.json"), "production");
  expect(again.svg).toBe(diagrams.get("production")!.svg);
  // The reference platform's; regenerate with: KEEL_CONFIG=examples/omnirapeutic npm run diagram -- production --out docs/production.svg
  expect(fs.readFileSync(path.join(ROOT, "docs", "production.svg"), "utf8")).toBe(diagrams.get("production")!.svg);
});

it("reads only the synthesized JSON: the converter and the diagram import none of Keel's modules", () => {
  const files = ["tools/hcl", "tools/diagram"].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => path.join(ROOT, dir, f)));
  expect(files.length).toBeGreaterThanOrEqual(8);
  for (const file of files) {
    const imports = [...fs.readFileSync(file, "utf8").matchAll(/from "([^"]+)"|require\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]);
    const outside = imports.filter((i) => !/^(node:|\.\/|\.\.\/project$|\.\.\/terraform$|@viz-js\/viz$)/.test(i));
    expect({ file: path.relative(ROOT, file), outside }).toEqual({ file: path.relative(ROOT, file), outside: [] });
  }
});

describe("a diagram people keep", () => {
  /** Where each text of the SVG is drawn: what a reader sees, top to bottom. */
  const texts = (svg: string): Array<{ y: number; text: string }> =>
    [...svg.matchAll(/<text[^>]* y="(-?[\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2].replace(/&#45;/g, "-") }));

  it("stacks the AZs in order, first at the top, in every stack and example that has them", () => {
    let drawn = 0;
    for (const name of names) {
      const azs = texts(diagrams.get(name)!.svg).filter((t) => t.text.startsWith("AZ ")).sort((a, b) => a.y - b.y).map((t) => t.text);
      if (azs.length === 0) continue;
      drawn++;
      expect({ name, azs }).toEqual({ name, azs: [...azs].sort() });
    }
    expect(drawn).toBe(7);
  });

  it("wraps every name to lines of at most 24 characters at its dashes, and keeps the whole name as the node's tooltip", () => {
    let wrapped = 0;
    for (const name of names) {
      const { dot, model } = diagrams.get(name)!;
      const nodes = [...model.subnets.flatMap((s) => s.nodes), ...model.vpcs.flatMap((v) => v.spanning), ...[...model.beside.values()].flat()];
      for (const node of nodes) {
        const lines = wrapLabel(node.label).split("\n");
        expect({ name, node: node.id, long: lines.filter((l) => l.length > 24) }).toEqual({ name, node: node.id, long: [] });
        if (lines.join("\n") !== node.label) {
          wrapped++;
          expect(dot).toContain(`tooltip="${node.label.replace(/\n/g, " ").replace(/"/g, '\\"')}"`);
        }
      }
    }
    expect(wrapped).toBeGreaterThan(20);
    expect(wrapLabel("S3\nomnirapeutic-production-alb-access-logs-111122223333-us-east-1")).toBe("S3\nomnirapeutic-production-\nalb-access-logs-\n111122223333-us-east-1");
    expect(wrapLabel("abcdefghijklmnopqrstuvwxyz0123")).toBe("abcdefghijklmnopqrstuvwx\nyz0123");
  });

  it("gives every box room for a wider font than Graphviz measured (a renderer without Helvetica draws DejaVu Sans)", () => {
    for (const name of names) expect({ name, margin: diagrams.get(name)!.dot.includes('node [fontname="Helvetica", fontsize=10, margin="0.2,0.06"]') }).toEqual({ name, margin: true });
  });

  it("renders a PNG in-process, the same bytes twice", async () => {
    const svg = diagrams.get("production")!.svg;
    const [a, b] = [await toPng(svg), await toPng(svg)];
    expect(a.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(Buffer.compare(a, b)).toBe(0);
    const [width, height] = [a.readUInt32BE(16), a.readUInt32BE(20)];
    const [svgWidth, svgHeight] = (svg.match(/viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"/) ?? []).slice(1).map(Number);
    // Twice the SVG's size in pixels (its width and height are in points: 4/3 px each).
    expect([width, height]).toEqual([svgWidth, svgHeight].map((pt) => expect.closeTo((pt * 2 * 4) / 3, -1)));
  });
});
