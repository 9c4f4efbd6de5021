import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { WORK, freshDir } from "../tools/project";
import { credentialsHint, planStack, stageStack } from "../tools/stacks";
import { cliConfigText, pluginMirror, toolEnv } from "../tools/terraform";
import { ROOT } from "./support/sandbox";

describe("Terraform CLI config", () => {
  const saved = process.env.KEEL_TF_PLUGIN_MIRROR;
  afterEach(() => {
    if (saved === undefined) delete process.env.KEEL_TF_PLUGIN_MIRROR;
    else process.env.KEEL_TF_PLUGIN_MIRROR = saved;
  });

  it("uses the filesystem mirror when there is one", () => {
    const text = cliConfigText("/opt/tf-plugins", "/p/.keel/plugin-cache");
    expect(text).toContain('filesystem_mirror {\n    path    = "/opt/tf-plugins"\n    include = ["registry.terraform.io/*/*"]');
    expect(text).toContain('direct {\n    exclude = ["registry.terraform.io/*/*"]');
    expect(text).not.toContain("plugin_cache_dir");
  });

  it("falls back to the registry, with a plugin cache, when there is no mirror", () => {
    const text = cliConfigText(undefined, "/p/.keel/plugin-cache");
    expect(text).not.toContain("filesystem_mirror");
    expect(text).toContain('plugin_cache_dir = "/p/.keel/plugin-cache"');
  });

  it("finds the mirror only where it exists (KEEL_TF_PLUGIN_MIRROR overrides /opt/tf-plugins)", () => {
    const mirror = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "", "mirror-"));
    process.env.KEEL_TF_PLUGIN_MIRROR = mirror;
    expect(pluginMirror()).toBe(mirror);
    process.env.KEEL_TF_PLUGIN_MIRROR = path.join(mirror, "absent");
    expect(pluginMirror()).toBeUndefined();
  });

  it("is written inside the project's work folder and handed to terraform", () => {
    const env = toolEnv();
    expect(env.TF_CLI_CONFIG_FILE).toBe(path.join(WORK, "terraform.rc"));
    expect(env.CHECKPOINT_DISABLE).toBe("1");
    expect(fs.existsSync(path.join(WORK, "terraform.rc"))).toBe(true);
  });
});

describe("work folder", () => {
  it("refuses to recreate a folder outside .keel", () => {
    expect(() => freshDir(ROOT)).toThrow(`Refusing to empty ${ROOT}: only folders inside ${WORK} are recreated`);
    expect(() => freshDir(WORK)).toThrow("Refusing to empty");
  });
});

describe("ESLint", () => {
  // The CLI, as `npm run lint` runs it (its .mjs config cannot load inside jest's VM).
  const lint = async (code: string): Promise<string[]> => {
    const bin = path.join(ROOT, "node_modules", ".bin", "eslint");
    const result = spawnSync(bin, ["--format", "json", "--stdin", "--stdin-filename", "modules/example.ts"], {
      cwd: ROOT,
      input: code,
      encoding: "utf8",
    });
    const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    return report.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each(["@cdktf/provider-aws", "@cdktf/provider-aws/lib"])("rejects an import from the root %s", async (from) => {
    const messages = await lint(`import { vpc } from "${from}";\nexport const x = vpc;\n`);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*Import the class from its own path/)]);
  });

  it("accepts a per-class import", async () => {
    expect(await lint(`import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const x = Vpc;\n`)).toEqual([]);
  });
});

describe("override files never leak into a real plan", () => {
  const fakeOut = (): string => {
    const out = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "", "out-"));
    fs.mkdirSync(path.join(out, "stacks", "dev"), { recursive: true });
    fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify({ stacks: { dev: {} } }));
    fs.writeFileSync(path.join(out, "stacks", "dev", "cdk.tf.json"), "{}");
    fs.writeFileSync(path.join(out, "stacks", "dev", "keel_backend_override.tf.json"), "{}");
    return out;
  };

  it("refuses a real plan of a stack that holds override files", async () => {
    const out = fakeOut();
    await expect(planStack("dev", { offline: false, outDir: out })).rejects.toThrow(
      /^Refusing a real plan of 'dev': .* holds override files \(keel_backend_override\.tf\.json\)/,
    );
  });

  it("does not copy override files into a working copy", () => {
    const copy = stageStack("dev", "tools-test", fakeOut());
    expect(fs.readdirSync(copy)).toEqual(["cdk.tf.json"]);
  });

  it("names the known stacks when asked for one that was not synthesized", () => {
    expect(() => stageStack("qa", "tools-test", fakeOut())).toThrow(/^No synthesized stack 'qa' in .*; stacks: dev$/);
  });
});


describe("a real plan without credentials", () => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "", "creds-"));
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ provider: { aws: [{ region: "us-east-1", allowed_account_ids: ["444455556666"] }] } }));

  it("says what is missing, where Keel takes credentials from, and names --offline", () => {
    const terraformSaid = "terraform init failed:\n╷\n│ Error: No valid credential sources found\n│\n│ Please see https://registry.terraform.io/providers/hashicorp/aws";
    expect(credentialsHint("qa", dir, terraformSaid)).toBe(
      [
        "No usable AWS credentials to plan 'qa' in account 444455556666 (Terraform: No valid credential sources found).",
        "Keel uses the default credential chain (AWS_PROFILE or AWS_ACCESS_KEY_ID, SSO, an instance or CI role) unless the account's entry in project.accounts sets `profile` or `roleArn`.",
        "Sign in (e.g. aws sso login --profile <profile>) and retry, or run 'keel plan qa --offline' for a plan that needs no AWS: local state, no refresh.",
      ].join("\n"),
    );
    expect(credentialsHint("qa", dir, "failed to get shared config profile, team-prod")).toContain("'keel plan qa --offline'");
  });

  it("leaves any other failure as Terraform said it", () => {
    expect(credentialsHint("qa", dir, "Error: Unsupported argument")).toBeUndefined();
  });
});
