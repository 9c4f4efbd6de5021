import { Construct, IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Label } from "../modules/label";
import { stackCredentials } from "./keel-stack";

/** The region CloudFront's certificates, web ACLs and log delivery sources must be in. */
export const EDGE_REGION = "us-east-1";

/**
 * The stack's second AWS provider, aliased `us_east_1`, for what CloudFront
 * needs in us-east-1 whatever the stack's region: ACM certificates, web ACLs
 * of scope CLOUDFRONT, and log delivery sources. The stack creates it (a
 * module never creates a provider) the first time a step asks, with the
 * same account guard and default tags as the stack's own.
 */
export class EdgeProvider {
  private provider?: AwsProvider;

  constructor(private readonly stack: TerraformStack) {}

  /**
   * A scope under `parent` whose resources use the us-east-1 provider and
   * whose Label names and ARNs are in us-east-1. Build into it, then call
   * `adopt` on it.
   */
  public scope(parent: Construct, id: string): Construct {
    const scope = new Construct(parent, id);
    Label.attach(scope, Label.of(parent).inRegion(EDGE_REGION));
    return scope;
  }

  /** Points every resource under `scope` at the us-east-1 provider. */
  public adopt(scope: IConstruct): void {
    const provider = this.get();
    for (const node of scope.node.findAll()) {
      if (TerraformResource.isTerraformResource(node)) node.provider = provider;
    }
  }

  private get(): AwsProvider {
    if (this.provider === undefined) {
      const label = Label.of(this.stack);
      this.provider = new AwsProvider(this.stack, "aws-us-east-1", {
        alias: "us_east_1",
        region: EDGE_REGION,
        allowedAccountIds: [label.accountId],
        defaultTags: [{ tags: label.tags }],
        ...stackCredentials(this.stack),
      });
    }
    return this.provider;
  }
}
