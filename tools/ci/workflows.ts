import type { EnvironmentConfig, ProjectConfig } from "../../environments/lib/types";
import { Yaml, toYaml } from "./yaml";

/**
 * The GitHub Actions workflows `keel ci` writes from `project.ci`. They only
 * call Keel's CLI: which stacks run, the comment, the reviewed plan, drift
 * issues are all decided in `tools/ci/` where tests reach them. Actions are
 * pinned by full commit SHA (the tag in a comment), every job names its own
 * least permissions, and `id-token: write` appears only where a role is
 * assumed.
 */

/** Each action by the commit of the release in its comment. Update a pin and its tag together. */
export const ACTIONS = {
  checkout: { uses: "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", tag: "v4.2.2" },
  setupNode: { uses: "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020", tag: "v4.4.0" },
  setupTerraform: { uses: "hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd", tag: "v3.1.2" },
  awsCredentials: { uses: "aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df", tag: "v4.2.1" },
  uploadArtifact: { uses: "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02", tag: "v4.6.2" },
  downloadArtifact: { uses: "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093", tag: "v4.3.0" },
  uploadSarif: { uses: "github/codeql-action/upload-sarif@51f77329afa6477de8c49fc9c7046c15b9a4e79d", tag: "v3.29.5" },
} as const;

/** The Terraform every job installs: the version Keel is tested with. */
export const TERRAFORM_VERSION = "1.11.4";
export const NODE_VERSION = "20";

export const WORKFLOW_FILES = { plan: "keel-plan.yml", apply: "keel-apply.yml", drift: "keel-drift.yml", deploy: "keel-deploy.yml" } as const;
/** The label that lets a pull request destroy or replace a stateful resource. */
export const ALLOW_DESTROY_LABEL = "keel:allow-destroy";
/** Where a plan job leaves its saved plan, its JSON and the comment, for the artifact. */
export const PLAN_ARTIFACT_DIR = ".keel/ci";

const HEADER = [
  "# Written by `npx keel ci` from project.ci (environments/project.ts). Do not edit by hand: change",
  "# the config or Keel, run `npx keel ci`, and commit. A test fails while this file differs from what",
  "# `keel ci` would write.",
].join("\n");

type Step = { readonly [key: string]: Yaml | undefined };

function setup(fetchDepth: number): Step[] {
  return [
    { uses: ACTIONS.checkout.uses, with: { "fetch-depth": fetchDepth, "persist-credentials": false } },
    { uses: ACTIONS.setupNode.uses, with: { "node-version": NODE_VERSION, cache: "npm" } },
    { uses: ACTIONS.setupTerraform.uses, with: { terraform_version: TERRAFORM_VERSION, terraform_wrapper: false } },
    { name: "Install", run: "npm ci" },
  ];
}

/** configure-aws-credentials for `role` in `region` (expressions): an hour of the role from the job's OIDC token. */
function assume(role: string, region: string, session: string, whose = "the account's CI role"): Step {
  return {
    name: `Assume ${whose} (OIDC, no keys)`,
    uses: ACTIONS.awsCredentials.uses,
    with: { "role-to-assume": role, "aws-region": region, "role-session-name": `${session}-\${{ github.run_id }}`, "role-duration-seconds": 3600 },
  };
}

const MATRIX_REGION = "${{ matrix.region }}";

function matrixJob(output: string, extra: Record<string, Yaml | undefined>): Record<string, Yaml | undefined> {
  return {
    strategy: { "fail-fast": false, matrix: { include: `\${{ fromJSON(needs.changes.outputs.${output}) }}` } },
    ...extra,
  };
}

export interface WorkflowOptions {
  readonly project: ProjectConfig;
  /** The environments: those with workloads CI deploys get the deploy workflow. @default [] */
  readonly environments?: readonly EnvironmentConfig[];
}

/** The environments with at least one workload whose image or code CI rolls out (`deployedBy: "ci"`), sorted. */
export function ciDeployedEnvironments(environments: readonly EnvironmentConfig[]): string[] {
  const ci = (section: Readonly<Record<string, { deployedBy?: string }>> | undefined) => Object.values(section ?? {}).some((w) => w.deployedBy === "ci");
  return environments.filter((e) => ci(e.ecs?.services) || ci(e.functions) || ci(e.apprunner)).map((e) => e.name).sort();
}

/** The workflow files, by name, as `keel ci` writes them under `.github/workflows/`. */
export function workflows({ project, environments = [] }: WorkflowOptions): Record<string, string> {
  const ci = project.ci;
  if (ci === undefined) return {};
  const branch = ci.branch ?? "main";
  const runsOn = ci.runsOn ?? "ubuntu-latest";

  const plan = {
    name: "keel plan",
    on: { pull_request: { branches: [branch], types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"] } },
    permissions: {},
    concurrency: { group: "keel-plan-${{ github.event.pull_request.number }}", "cancel-in-progress": true },
    env: { KEEL_CI_ROLE: "plan", TF_IN_AUTOMATION: "1" },
    jobs: {
      changes: {
        name: "synth and changed stacks",
        "runs-on": runsOn,
        permissions: { contents: "read" },
        outputs: { plan: "${{ steps.changed.outputs.plan }}" },
        steps: [
          ...setup(0),
          { name: "Synth once; list the stacks whose JSON differs from the base branch", id: "changed", run: 'npx keel ci matrix "origin/${BASE_REF}" --github-output', env: { BASE_REF: "${{ github.base_ref }}" } },
          { uses: ACTIONS.uploadArtifact.uses, with: { name: "keel-synth", path: "cdktf.out/stacks", "retention-days": 7, "if-no-files-found": "error" } },
        ],
      },
      check: {
        name: "keel check",
        "runs-on": runsOn,
        permissions: { contents: "read", "security-events": "write" },
        steps: [
          ...setup(1),
          { name: "Compliance rules, as SARIF", run: "npx keel check --sarif > keel.sarif" },
          { name: "Upload to code scanning", if: "${{ !cancelled() }}", uses: ACTIONS.uploadSarif.uses, with: { sarif_file: "keel.sarif", category: "keel" } },
        ],
      },
      plan: {
        name: "plan ${{ matrix.stack }}",
        needs: ["changes"],
        if: "${{ needs.changes.outputs.plan != '[]' }}",
        "runs-on": runsOn,
        ...matrixJob("plan", {}),
        permissions: { contents: "read", "id-token": "write", "pull-requests": "write" },
        steps: [
          ...setup(0),
          { uses: ACTIONS.downloadArtifact.uses, with: { name: "keel-synth", path: "cdktf.out/stacks" } },
          assume("${{ matrix.planRole }}", MATRIX_REGION, "keel-plan"),
          {
            name: "Plan, price against the base branch, comment",
            run: 'npx keel ci plan "$STACK" --base "origin/${BASE_REF}"',
            env: { STACK: "${{ matrix.stack }}", BASE_REF: "${{ github.base_ref }}", GITHUB_TOKEN: "${{ github.token }}" },
          },
          {
            name: "Keep the saved plan",
            if: "${{ !cancelled() }}",
            uses: ACTIONS.uploadArtifact.uses,
            with: { name: "keel-plan-${{ matrix.stack }}", path: PLAN_ARTIFACT_DIR, "retention-days": 30, "if-no-files-found": "ignore" },
          },
        ],
      },
    },
  };

  const applyJob = (output: string, needs: readonly string[]): Record<string, Yaml | undefined> => ({
    name: "apply ${{ matrix.stack }}",
    needs: [...needs],
    if: `\${{ !failure() && !cancelled() && needs.changes.outputs.${output} != '[]' }}`,
    "runs-on": runsOn,
    ...matrixJob(output, {}),
    environment: "${{ matrix.environment }}",
    concurrency: { group: "keel-apply-${{ matrix.stack }}", "cancel-in-progress": false },
    permissions: { contents: "read", "id-token": "write", actions: "read", "pull-requests": "read" },
    steps: [
      ...setup(1),
      {
        name: "Find the plan reviewed in the pull request",
        id: "reviewed",
        run: 'npx keel ci reviewed-run "$STACK" --github-output',
        env: { STACK: "${{ matrix.stack }}", GITHUB_TOKEN: "${{ github.token }}" },
      },
      {
        uses: ACTIONS.downloadArtifact.uses,
        if: "${{ steps.reviewed.outputs.run-id != '' }}",
        with: { name: "keel-plan-${{ matrix.stack }}", path: ".keel/reviewed", "run-id": "${{ steps.reviewed.outputs.run-id }}", "github-token": "${{ github.token }}" },
      },
      assume("${{ matrix.applyRole }}", MATRIX_REGION, "keel-apply"),
      {
        name: "Plan again, apply only if it is the reviewed plan",
        run: 'npx keel ci apply "$STACK" --reviewed .keel/reviewed',
        env: { STACK: "${{ matrix.stack }}" },
      },
    ],
  });
  const apply = {
    name: "keel apply",
    on: { push: { branches: [branch] } },
    permissions: {},
    env: { KEEL_CI_ROLE: "apply", TF_IN_AUTOMATION: "1" },
    jobs: {
      changes: {
        name: "changed stacks",
        "runs-on": runsOn,
        permissions: { contents: "read" },
        outputs: { accounts: "${{ steps.changed.outputs.accounts }}", environments: "${{ steps.changed.outputs.environments }}", production: "${{ steps.changed.outputs.production }}" },
        steps: [...setup(0), { name: "The stacks this push changed, by wave", id: "changed", run: 'npx keel ci matrix "${BEFORE}" --github-output', env: { BEFORE: "${{ github.event.before }}" } }],
      },
      accounts: applyJob("accounts", ["changes"]),
      environments: applyJob("environments", ["changes", "accounts"]),
      production: applyJob("production", ["changes", "environments"]),
    },
  };

  const drift = {
    name: "keel drift",
    on: { schedule: [{ cron: ci.driftSchedule ?? "17 5 * * *" }], workflow_dispatch: {} },
    permissions: {},
    concurrency: { group: "keel-drift", "cancel-in-progress": false },
    env: { KEEL_CI_ROLE: "plan", TF_IN_AUTOMATION: "1" },
    jobs: {
      changes: {
        name: "every stack",
        "runs-on": runsOn,
        permissions: { contents: "read" },
        outputs: { all: "${{ steps.stacks.outputs.all }}" },
        steps: [...setup(1), { name: "Every stack CI deploys", id: "stacks", run: "npx keel ci matrix --all --github-output" }],
      },
      drift: {
        name: "drift ${{ matrix.stack }}",
        needs: ["changes"],
        "runs-on": runsOn,
        ...matrixJob("all", {}),
        permissions: { contents: "read", "id-token": "write", issues: "write" },
        steps: [
          ...setup(1),
          assume("${{ matrix.planRole }}", MATRIX_REGION, "keel-drift"),
          { name: "Refresh-only plan; open or update the stack's drift issue", run: 'npx keel ci drift "$STACK"', env: { STACK: "${{ matrix.stack }}", GITHUB_TOKEN: "${{ github.token }}" } },
        ],
      },
    },
  };

  const deployable = ciDeployedEnvironments(environments);
  const deploy = {
    name: "keel deploy",
    on: {
      workflow_dispatch: {
        inputs: {
          environment: { description: "The environment to deploy to", type: "choice", options: deployable, required: true },
          workload: { description: "The service or function (its Terraform name, e.g. ecs_api; `npx keel ci deploy <env>` lists them)", type: "string", required: true },
          context: { description: "Image workloads: the docker build context in this repository", type: "string", default: "." },
          package: { description: "Lambda workloads: the zip in this repository", type: "string", default: "" },
        },
      },
    },
    permissions: {},
    concurrency: { group: "keel-deploy-${{ inputs.environment }}-${{ inputs.workload }}", "cancel-in-progress": false },
    jobs: {
      deploy: {
        name: "deploy ${{ inputs.workload }} to ${{ inputs.environment }}",
        "runs-on": runsOn,
        environment: "${{ inputs.environment }}",
        permissions: { contents: "read", "id-token": "write" },
        steps: [
          ...setup(1),
          { name: "The environment's deploy role", id: "role", run: 'npx keel ci deploy-role "$ENVIRONMENT" --github-output', env: { ENVIRONMENT: "${{ inputs.environment }}" } },
          assume("${{ steps.role.outputs.role-arn }}", "${{ steps.role.outputs.region }}", "keel-deploy", "the environment's CI deploy role"),
          {
            name: "Build and push, wait for the scan, roll out, wait until stable",
            run: 'npx keel ci deploy "$ENVIRONMENT" --workload "$WORKLOAD" --tag "$GITHUB_SHA" --build "$CONTEXT" --package "$PACKAGE"',
            env: { ENVIRONMENT: "${{ inputs.environment }}", WORKLOAD: "${{ inputs.workload }}", CONTEXT: "${{ inputs.context }}", PACKAGE: "${{ inputs.package }}" },
          },
        ],
      },
    },
  };

  return {
    [WORKFLOW_FILES.plan]: render(plan),
    [WORKFLOW_FILES.apply]: render(apply),
    [WORKFLOW_FILES.drift]: render(drift),
    ...(deployable.length > 0 ? { [WORKFLOW_FILES.deploy]: render(deploy) } : {}),
  };
}

/** The workflow's YAML with the header, and each pinned action's tag beside its SHA. */
function render(workflow: Yaml): string {
  let text = toYaml(workflow);
  for (const action of Object.values(ACTIONS)) text = text.split(`uses: ${action.uses}\n`).join(`uses: ${action.uses} # ${action.tag}\n`);
  return `${HEADER}\n${text}`;
}
