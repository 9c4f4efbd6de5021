import { cachedProvider, loadSchemaCache } from "../hcl/schema";

/**
 * Endpoint names the AWS provider (5.100.0) accepts as deprecated aliases of
 * another name; setting both makes it warn "Only one of the following
 * attributes should be set". The canonical name of each group is kept.
 */
const ENDPOINT_ALIASES = new Set([
  "prometheus", "prometheusservice", "applicationautoscaling", "appintegrationsservice", "costexplorer", "cloudcontrolapi",
  "cloudhsm", "cognitoidentityprovider", "config", "costandusagereportservice", "gluedatabrew", "codedeploy",
  "databasemigration", "databasemigrationservice", "directoryservice", "beanstalk", "es", "elasticsearchservice",
  "elasticloadbalancing", "elasticloadbalancingv2", "eventbridge", "cloudwatchevents", "cloudwatchevidently", "managedgrafana",
  "amg", "inspectorv2", "msk", "lexmodelbuilding", "lexmodelbuildingservice", "lex", "lexmodelsv2", "locationservice",
  "cloudwatchlog", "cloudwatchlogs", "cloudwatchobservabilityaccessmanager", "opensearchservice", "opensearchingestion",
  "recyclebin", "cloudwatchrum", "redshiftdataapiservice", "resourcegroupstagging", "s3api", "serverlessapprepo",
  "serverlessapplicationrepository", "appregistry", "stepfunctions", "sdb", "transcribeservice",
]);

/**
 * Every service endpoint the provider knows, from the cached provider schema:
 * all of them point at the emulator, so no call a stack makes (a resource, a
 * data source, the provider's own STS and IAM lookups) can reach AWS.
 */
export function endpointNames(): string[] {
  const aws = cachedProvider(loadSchemaCache(), "registry.terraform.io/hashicorp/aws");
  const endpoints = aws?.schema.provider.blocks.endpoints;
  if (endpoints === undefined) throw new Error("tools/hcl/provider-schemas.json has no AWS provider endpoints block; run npx keel hcl --update-schema");
  return endpoints.attributes.filter((name) => !ENDPOINT_ALIASES.has(name));
}

/** Credentials the emulator takes; no AWS account accepts them. */
export const SANDBOX_CREDENTIALS = { access_key: "keel-sandbox", secret_key: "keel-sandbox" } as const;

interface StackProviders {
  readonly provider?: { readonly aws?: ReadonlyArray<{ readonly alias?: string }> };
}

/**
 * The override file that points one synthesized stack at an emulator: every
 * AWS provider block (aliases included, since an override matches providers
 * by alias) gets the emulator as the endpoint of every service, test
 * credentials and path-style S3, and the backend becomes a local state file.
 * Everything else, the region and `allowed_account_ids` among it, stays as
 * synthesized: the emulator answers as the stack's own account.
 *
 * S3 Control puts the account id in front of the endpoint's host
 * (`111122223333.127.0.0.1`), which no resolver knows; `http_proxy` sends
 * exactly those requests to the emulator, which reads the host from the
 * request line. The provider never proxies loopback addresses, so every
 * other call goes to the endpoint directly.
 */
export function sandboxOverride(stack: StackProviders, endpoint: string, statePath: string): object {
  const endpoints = Object.fromEntries(endpointNames().map((name) => [name, endpoint]));
  const settings = {
    ...SANDBOX_CREDENTIALS,
    // The emulator's own credentials, never an account's profile or role (see OFFLINE_PROVIDER_OVERRIDE).
    profile: null,
    assume_role: [{ role_arn: "" }],
    skip_credentials_validation: false,
    skip_requesting_account_id: false,
    skip_metadata_api_check: true,
    s3_use_path_style: true,
    http_proxy: endpoint,
    // No HTTPS proxy: every endpoint is plain HTTP on loopback (and the provider warns when it is unset).
    https_proxy: "",
    endpoints: [endpoints],
  };
  const aliases = (stack.provider?.aws ?? []).flatMap((p) => (p.alias === undefined ? [] : [p.alias]));
  return {
    terraform: { backend: { local: { path: statePath } } },
    provider: { aws: [settings, ...aliases.map((alias) => ({ alias, ...settings }))] },
  };
}
