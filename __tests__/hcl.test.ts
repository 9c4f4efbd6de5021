import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { convertStack } from "../tools/hcl/convert";
import { heredoc, jsonencodeText, quoted, templateExpression } from "../tools/hcl/expressions";
import { typesInUse } from "../tools/hcl/export";
import { PlanJson, comparePlans } from "../tools/hcl/gate";
import { JsonObject, parseJson } from "../tools/hcl/json";
import { cachedProvider, loadSchemaCache } from "../tools/hcl/schema";
import { parseTemplate } from "../tools/hcl/template";
import { TRICKY_STRINGS, synthStress } from "./fixtures/hcl-stress";

// keel hcl's converter, without terraform: each hard case of Terraform JSON
// to HCL, on the stress fixture and on small hand-written stacks. The gate
// (validate-and-plan.terraform.test.ts) proves the same HCL plans exactly as
// its JSON; these tests pin down what the HCL looks like.

const cache = loadSchemaCache();
const AWS = { terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } } };

/** Converts a hand-written Terraform JSON configuration (the AWS provider pinned as Keel pins it). */
function convert(config: object): Record<string, string> {
  const stack = parseJson(JSON.stringify({ ...AWS, ...config }));
  return { ...convertStack(stack as JsonObject, cache) };
}

let stress: Record<string, string>;
beforeAll(() => {
  const dir = synthStress(path.join(fs.mkdtempSync(path.join(WORK, "tmp", "hcl-")), "out"), path.join(ROOT, ".terraform.lock.hcl"));
  stress = { ...convertStack(parseJson(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as JsonObject, cache) };
});

describe("files and blocks", () => {
  it("writes one file per top-level construct, plus providers, backend, variables, locals, outputs and moved", () => {
    expect(Object.keys(stress)).toEqual(["backend.tf", "locals.tf", "main.tf", "moved.tf", "outputs.tf", "providers.tf", "variables.tf"]);
    const files = convert({
      resource: {
        aws_vpc: { vpc: { "//": { metadata: { path: "dev/network/resource", uniqueId: "vpc" } }, cidr_block: "10.0.0.0/16" } },
        aws_sns_topic: { alarms: { "//": { metadata: { path: "dev/outputs/topic", uniqueId: "alarms" } }, name: "a" } },
      },
    });
    expect(Object.keys(files)).toEqual(["network.tf", "outputs-resources.tf", "providers.tf"]);
  });

  it("names the construct path each block came from in a comment above it", () => {
    expect(stress["main.tf"]).toContain('# stress/vpc\nresource "aws_vpc" "vpc" {');
  });

  it("writes the provider as hashicorp/aws, with the required Terraform version, and the backend in its own file", () => {
    const files = convert({ terraform: { ...AWS.terraform, required_version: ">= 1.11.0", backend: { s3: { bucket: "b", key: "dev/${x}.tfstate" } } } });
    expect(files["providers.tf"]).toContain('aws = {\n      source = "hashicorp/aws"\n      version = "5.100.0"\n    }');
    expect(files["providers.tf"]).toContain('required_version = ">= 1.11.0"');
    // Backend settings are literal in JSON: a `${` in them stays literal in HCL.
    expect(files["backend.tf"]).toContain('terraform {\n  backend "s3" {\n    bucket = "b"\n    key = "dev/$${x}.tfstate"\n  }\n}');
  });

  it("orders a body as a Terraform author would: meta-arguments, attributes, blocks, then depends_on and lifecycle", () => {
    const guarded = stress["main.tf"].slice(stress["main.tf"].indexOf('resource "terraform_data" "guarded"'));
    const order = ["input =", "triggers_replace =", "depends_on =", "lifecycle {", "create_before_destroy", "precondition {"].map((s) => guarded.indexOf(s));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(stress["main.tf"]).toContain('resource "terraform_data" "counted" {\n  count = 2\n');
  });
});

describe("blocks and attributes, from the provider schema", () => {
  it("writes WAF statements as nested blocks at every depth", () => {
    expect(stress["main.tf"]).toMatch(
      /statement \{\n\s+and_statement \{\n\s+statement \{\n\s+not_statement \{\n\s+statement \{\n\s+byte_match_statement \{[\s\S]+field_to_match \{\n\s+single_header \{\n\s+name = "x-keel"/,
    );
    expect(stress["main.tf"]).not.toMatch(/statement = /);
  });

  it("keeps the default security group's empty rule lists as attributes, so it stays locked down", () => {
    expect(stress["main.tf"]).toContain('resource "aws_default_security_group" "default_sg" {\n  egress = []\n  ingress = []\n');
  });

  it("writes an empty block list as no blocks at all, and an empty block as {}", () => {
    const files = convert({ resource: { aws_wafv2_web_acl: { w: { name: "w", scope: "REGIONAL", rule: [], default_action: { allow: {} } } } } });
    expect(files["main.tf"]).not.toContain("rule");
    expect(files["main.tf"]).toContain("default_action {\n    allow {}\n  }");
  });

  it("writes dynamic blocks with for_each and iterator first, and the content by the block's schema", () => {
    expect(stress["main.tf"]).toContain(
      'dynamic "rule" {\n    for_each = var.rules\n    iterator = r\n    content {\n      id = r.key\n      status = "Enabled"\n      expiration {\n        days = 30\n      }\n      filter {\n        prefix = r.value\n      }\n    }\n  }',
    );
  });

  it("refuses a name that is neither an attribute nor a block, naming where it is", () => {
    expect(() => convert({ resource: { aws_vpc: { v: { cidr_blok: "10.0.0.0/16" } } } })).toThrow(
      'aws_vpc.v.cidr_blok: "cidr_blok" is neither an attribute nor a block in the cached schema',
    );
  });

  it("refuses a type the cache does not hold, saying how to refresh it", () => {
    expect(() => convert({ resource: { aws_neptune_cluster: { c: {} } } })).toThrow(/No cached schema for resource type aws_neptune_cluster.*npx keel hcl --update-schema/);
  });

  it("refuses a provider version other than the cached one", () => {
    const stack = parseJson(JSON.stringify({ terraform: { required_providers: { aws: { source: "aws", version: "6.0.0" } } } })) as JsonObject;
    expect(() => convertStack(stack, cache)).toThrow(
      "terraform.required_providers.aws: needs the schema of registry.terraform.io/hashicorp/aws 6.0.0; tools/hcl/provider-schemas.json holds version 5.100.0",
    );
  });
});

describe("meta-arguments", () => {
  it("writes count, for_each, depends_on and provider as bare expressions and references", () => {
    expect(stress["main.tf"]).toContain("for_each = var.counts\n");
    expect(stress["main.tf"]).toContain("depends_on = [terraform_data.strings]");
    const files = convert({ resource: { aws_vpc: { v: { provider: "aws.us-east-1", cidr_block: "10.0.0.0/16", depends_on: ["${aws_vpc.w}"] } } } });
    expect(files["main.tf"]).toContain("  provider = aws.us-east-1\n  cidr_block");
    expect(files["main.tf"]).toContain("depends_on = [aws_vpc.w]");
  });

  it("writes lifecycle: literal booleans, references in ignore_changes and replace_triggered_by, `all`, and conditions", () => {
    expect(stress["main.tf"]).toContain("create_before_destroy = true\n    ignore_changes = [input]\n    prevent_destroy = false\n    replace_triggered_by = [terraform_data.templates.input]");
    expect(stress["main.tf"]).toContain('precondition {\n      condition = var.flag\n      error_message = "flag must be set, not ${var.flag}"\n    }');
    expect(stress["main.tf"]).toContain("lifecycle {\n    ignore_changes = all\n  }");
  });

  it("writes provisioners with their keywords bare, and connection blocks", () => {
    expect(stress["main.tf"]).toContain('provisioner "local-exec" {\n    command = "echo gone"\n    on_failure = continue\n    when = destroy\n  }');
    expect(stress["main.tf"]).toContain('connection {\n    host = "127.0.0.1"\n    type = "ssh"\n    user = "keel"\n  }');
    expect(stress["main.tf"]).toContain('command = "echo \'made ${self.input.p}\' > C:\\\\temp\\\\out.txt"');
  });

  it("writes modules with a literal source and expressions for inputs", () => {
    expect(stress["main.tf"]).toMatch(/module "greeter" \{\n  greeting = "hello from \$\{local.prefix\}"\n  source = "[^"]+stress-module"\n\}/);
    const files = convert({ module: { m: { source: "./m", providers: { aws: "aws.us-east-1" }, count: 1 } } });
    expect(files["main.tf"]).toContain('module "m" {\n  source = "./m"\n  providers = {\n    aws = aws.us-east-1\n  }\n  count = 1\n}');
  });

  it("writes moved blocks with bare addresses", () => {
    expect(stress["moved.tf"]).toContain("moved {\n  from = terraform_data.old_name\n  to = terraform_data.strings\n}");
  });

  it("refuses a depends_on entry that is not a reference", () => {
    expect(() => convert({ resource: { aws_vpc: { v: { cidr_block: "x", depends_on: ["${join(aws_vpc.w)}"] } } } })).toThrow(
      'aws_vpc.v.depends_on[0]: "${join(aws_vpc.w)}" is not a reference',
    );
  });
});

describe("strings and templates", () => {
  it("writes a string that is one interpolation as the bare expression, nested quotes and for expressions included", () => {
    expect(stress["main.tf"]).toContain('single = var.counts["a"]');
    expect(stress["main.tf"]).toContain('nested_quotes = upper("a-${var.team}")');
    expect(stress["main.tf"]).toContain('for_expression = [for k, v in var.counts : "${k}=${v}"]');
    expect(stress["main.tf"]).toContain('mixed = "${local.prefix}-${var.counts["b"]}"');
  });

  it("keeps directives, and literal ${ and %{ escaped, IAM policy variables included", () => {
    expect(stress["main.tf"]).toContain('directive = "%{ if var.flag }on%{ else }off%{ endif }"');
    expect(stress["main.tf"]).toContain('literal_interpolation = "$${not_a_reference}"');
    expect(stress["main.tf"]).toContain('literal_directive = "%%{not_a_directive}"');
    expect(stress["main.tf"]).toContain('search_string = "$${literal}"');
    expect(stress["main.tf"]).toContain('values = ["$${aws:username}"]');
  });

  it("escapes literal ${ in places Terraform reads literally: variable defaults, descriptions", () => {
    expect(stress["variables.tf"]).toContain('variable "team" {\n  default = "$${literally-not-a-reference}"\n  description = "Says $${this} literally"\n  type = string\n}');
    expect(stress["outputs.tf"]).toContain('description = "The $${prefix}, literally"');
  });

  it("keeps backslashes, CR, tabs and control characters as escapes, never as the characters", () => {
    expect(stress["main.tf"]).toContain('windows_path = "C:\\\\temp\\\\new"');
    expect(stress["main.tf"]).toContain('crlf = "first\\r\\nsecond\\r\\n"');
    expect(stress["main.tf"]).toContain('tab_and_unicode = "tab\\there \u00e9 \u2603"');
    expect(stress["main.tf"]).toContain('control = "bell\\u0007"');
    expect(stress["main.tf"]).toContain('quotes = "say \\"hi\\" \\\\ bye"');
  });

  it("writes multi-line text as a heredoc whose terminator is not one of its lines, keeping trailing newlines", () => {
    expect(stress["main.tf"]).toContain("heredoc_terminator = <<EOT3\nline\nEOT\n  EOT2\nend\nEOT3\n");
    expect(stress["main.tf"]).toContain("trailing_newlines = <<EOT\ntext\n\nEOT\n");
    expect(stress["main.tf"]).toContain("multiline = <<EOT\n#!/bin/sh\necho ${local.prefix}\nexit 0\nEOT\n");
  });

  it("keeps strings that look like numbers, booleans, null or JSON as strings", () => {
    for (const name of ["number_like", "float_like", "bool_like", "null_like"]) {
      expect(stress["outputs.tf"]).toContain(`output "out_${name}" {\n  value = ${JSON.stringify(TRICKY_STRINGS[name])}\n}`);
    }
    // jsonencode() returns a string: '{"a":1}' exactly.
    expect(stress["outputs.tf"]).toContain('output "out_json_like" {\n  value = jsonencode({\n    a = 1\n  })\n}');
    expect(stress["outputs.tf"]).toContain('output "number_output" {\n  value = 42\n}');
  });

  it("keeps numbers exactly as written, past 2^53", () => {
    const files = convert({ locals: { big: 12345678901234567890 } });
    expect(JSON.stringify({ big: 12345678901234567890 })).toBe('{"big":12345678901234567000}');
    const raw = parseJson('{"terraform":{"required_providers":{"aws":{"source":"aws","version":"5.100.0"}}},"locals":{"big":12345678901234567890,"tiny":1e-7}}');
    const exact = convertStack(raw as JsonObject, cache)["locals.tf"];
    expect(exact).toContain("big = 12345678901234567890");
    expect(exact).toContain("tiny = 1e-7");
    expect(files["locals.tf"]).toContain("big = 12345678901234567000");
  });

  it("writes map keys from expressions in parentheses, and keys that are not names quoted", () => {
    expect(stress["main.tf"]).toContain("(var.team) = \"from a variable\"");
    expect(stress["main.tf"]).toContain('"${local.prefix}-suffix" = true');
    expect(stress["main.tf"]).toContain('"plain key" = 1');
    expect(stress["providers.tf"]).toContain('"aws:weird key" = "kept"');
  });

  it("writes a literal $ just before an interpolation so that it cannot become an escape", () => {
    expect(quoted([{ kind: "literal", text: "price $" }, { kind: "interpolation", source: "var.amount" }])).toBe('"price ${"$"}${var.amount}"');
    expect(quoted([{ kind: "literal", text: "100%" }, { kind: "interpolation", source: "var.x" }])).toBe('"100%${var.x}"');
  });

  it("splits templates at interpolations whose expressions hold braces and quoted strings", () => {
    expect(parseTemplate('a ${ {for k in x : k => "}"} } b $${c} %{ if d }e%{ endif }')).toEqual([
      { kind: "literal", text: "a " },
      { kind: "interpolation", source: ' {for k in x : k => "}"} ' },
      { kind: "literal", text: " b ${c} " },
      { kind: "directive", source: " if d " },
      { kind: "literal", text: "e" },
      { kind: "directive", source: " endif " },
    ]);
    expect(() => parseTemplate("${unterminated")).toThrow("Unterminated interpolation");
  });

  it("refuses a heredoc for text with a carriage return, where the file's line endings would decide the value", () => {
    expect(heredoc([{ kind: "literal", text: "a\r\nb\n" }])).toBeUndefined();
    expect(heredoc([{ kind: "literal", text: "a\nb" }])).toBe("chomp(<<EOT\na\nb\nEOT\n)");
    expect(templateExpression("a\r\nb\n", 0)).toBe('"a\\r\\nb\\n"');
  });
});

describe("embedded JSON", () => {
  it("writes jsonencode() where it reproduces the string byte for byte: sorted keys, ARN references", () => {
    expect(stress["main.tf"]).toContain(
      'policy = jsonencode({\n    Statement = [\n      {\n        Action = "s3:GetObject"\n        Effect = "Allow"\n        Resource = "${aws_s3_bucket.bucket.arn}/home/$${aws:username}/*"\n      },\n    ]\n    Version = "2012-10-17"\n  })',
    );
  });

  it("writes a heredoc where jsonencode() would change the bytes: key order, <, > and &", () => {
    expect(stress["main.tf"]).toContain('resource "aws_iam_policy" "unsorted_policy" {\n  name = "stress-unsorted"\n  policy = chomp(<<EOT\n{"Version":"2012-10-17","Statement"');
    expect(stress["main.tf"]).toContain('"s3:prefix":["<home>&$${aws:username}"]');
  });

  it("uses jsonencode() with references only to ARNs and IDs, which never hold a character it escapes", () => {
    expect(templateExpression('{"a":"${aws_s3_bucket.b.arn}"}', 0)).toBe('jsonencode({\n  a = aws_s3_bucket.b.arn\n})');
    expect(templateExpression('{"a":"${aws_s3_bucket.b.bucket}"}', 0)).toBe('chomp(<<EOT\n{"a":"${aws_s3_bucket.b.bucket}"}\nEOT\n)');
    // Not JSON after all: an ordinary string.
    expect(templateExpression("[version, action=\"REJECT\"]", 0)).toBe('"[version, action=\\"REJECT\\"]"');
  });

  it("matches Terraform's jsonencode: HTML characters escaped, plain decimals only", () => {
    expect(jsonencodeText(parseJson('{"b":"<&>","a":[1,2.5,-3]}'))).toBe('{"a":[1,2.5,-3],"b":"\\u003c\\u0026\\u003e"}');
    for (const n of ["1e3", "1.50", "-0"]) expect(jsonencodeText(parseJson(n))).toBeUndefined();
    expect(jsonencodeText(parseJson('"a\\u2028b"'))).toBe('"a\\u2028b"');
  });
});

describe("the provider schema cache", () => {
  it("holds every type Keel's modules, stacks and tests import, and nothing else", () => {
    const aws = cachedProvider(cache, "registry.terraform.io/hashicorp/aws")!;
    const builtin = cachedProvider(cache, "terraform.io/builtin/terraform")!;
    const types = typesInUse();
    expect(types.resources.length).toBeGreaterThan(100);
    expect([...Object.keys(aws.schema.resources), ...Object.keys(builtin.schema.resources)].sort()).toEqual(types.resources);
    expect(Object.keys(aws.schema.dataSources).sort()).toEqual(types.dataSources);
    expect(aws.version).toBe("5.100.0");
  });

  it("knows WAF's statement is a block to any depth, and the default security group's ingress is an attribute", () => {
    const aws = cachedProvider(cache, "registry.terraform.io/hashicorp/aws")!.schema;
    const rule = aws.resources.aws_wafv2_web_acl.blocks.rule;
    expect(rule.blocks.statement.blocks.and_statement.blocks.statement.blocks.not_statement.nesting).toBe("list");
    expect(aws.resources.aws_default_security_group.attributes).toContain("ingress");
    expect(aws.resources.aws_default_security_group.blocks.ingress).toBeUndefined();
  });
});

describe("the gate's plan comparison", () => {
  const plan = (after: object, output: string): PlanJson => ({
    resource_changes: [
      { address: "module.json_s.aws_vpc.v", mode: "managed", type: "aws_vpc", change: { actions: ["create"], after: { cidr_block: "10.0.0.0/16" } } },
      { address: "module.hcl_s.aws_vpc.v", mode: "managed", type: "aws_vpc", change: { actions: ["create"], after } },
    ],
    output_changes: { json_s__o: { after: "C:\\temp" }, hcl_s__o: { after: output } },
  });

  it("finds nothing when the two modules plan the same", () => {
    expect(comparePlans(plan({ cidr_block: "10.0.0.0/16" }, "C:\\temp"), "json_s", "hcl_s", ["o"])).toEqual([]);
  });

  it("reports a changed value, a changed output and a resource only one side plans", () => {
    const p = plan({ cidr_block: "10.0.0.0/8" }, "C:\temp");
    const extra: PlanJson = { ...p, resource_changes: [...p.resource_changes!, { address: "module.hcl_s.aws_eip.e", mode: "managed", type: "aws_eip", change: { actions: ["create"] } }] };
    const differences = comparePlans(extra, "json_s", "hcl_s", ["o"]);
    expect(differences).toHaveLength(3);
    expect(differences[0]).toBe("aws_eip.e: planned by hcl_s only");
    expect(differences[1]).toMatch(/^aws_vpc\.v: after differs/);
    expect(differences[2]).toMatch(/^output o differs/);
  });
});
