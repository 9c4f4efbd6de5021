import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Label, TaggableProps } from "../label";
import { PropsCheck } from "../validation";
import { IGrantable, pascalCase } from "./grant";
import { Conditions, PolicyStatement, assumeRolePolicy, policyDocument } from "./policy";
import { StatementList } from "./statements";
import { suppress } from "../compliance/suppress";

export interface ServiceRoleProps extends TaggableProps {
  /** Role purpose; the role is named `<namespace>-<env>-<purpose>`. */
  readonly purpose: string;
  /**
   * The service that assumes the role, e.g. `vpc-flow-logs.amazonaws.com`.
   * Exactly one of `servicePrincipal` and `webIdentity`.
   */
  readonly servicePrincipal?: string;
  /**
   * Instead of a service: users signed in through a web identity provider
   * (`cognito-identity.amazonaws.com`) assume the role with
   * `sts:AssumeRoleWithWebIdentity` when `conditions` hold.
   * @default - none
   */
  readonly webIdentity?: { readonly provider: string; readonly conditions: Conditions };
  /**
   * Conditions on the trust policy (confused-deputy protection).
   * @default - none
   */
  readonly trustConditions?: Conditions;
  /**
   * AWS-managed policies to attach, by name (e.g. `AmazonSSMManagedInstanceCore`),
   * each with the reason it is used instead of a policy of Keel's own. The
   * reason suppresses compliance rule `iam-no-aws-managed-policies` on the
   * attachment and is printed by `keel check`.
   * @default {}
   */
  readonly managedPolicies?: Readonly<Record<string, string>>;
}

/**
 * An IAM role for one AWS service: trust, managed policies, and one inline
 * policy that `grant*` calls of other modules fill (`addToPolicy`). The
 * inline policy exists only once something was granted.
 */
export class ServiceRole extends Construct implements IGrantable {
  public readonly resource: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly grantName: string;
  private readonly statements: StatementList;
  private readonly policyName: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const managed = Object.entries(props.managedPolicies ?? {});
    const check = new PropsCheck(`ServiceRole '${props.purpose}'`)
      .require((props.servicePrincipal === undefined) !== (props.webIdentity === undefined), "servicePrincipal", props.servicePrincipal ?? "(none)", "exactly one of servicePrincipal and webIdentity")
      .tags("tags", props.tags);
    if (props.servicePrincipal !== undefined) check.nonEmpty("servicePrincipal", props.servicePrincipal);
    for (const [name] of managed) {
      check.require(/^[A-Za-z0-9+=,.@_/-]+$/.test(name) && !name.startsWith("arn:"), `managedPolicies.${name}`, name, "an AWS-managed policy name, not an ARN");
    }
    check.done();
    const label = Label.of(this);
    const name = label.id(props.purpose, "iamRole");
    this.grantName = pascalCase(props.purpose);
    this.statements = new StatementList(`ServiceRole '${props.purpose}'`);
    this.policyName = name;
    this.resource = new IamRole(this, "resource", {
      name,
      assumeRolePolicy:
        props.webIdentity === undefined
          ? assumeRolePolicy(props.servicePrincipal ?? "", props.trustConditions)
          : policyDocument([{ sid: "TrustedIdentities", principal: { Federated: props.webIdentity.provider }, actions: ["sts:AssumeRoleWithWebIdentity"], conditions: props.webIdentity.conditions }]),
      tags: label.resourceTags(name, props.tags),
    });
    for (const [policy, reason] of managed) {
      const attachment = new IamRolePolicyAttachment(this, `managed-${policy.replace(/[^A-Za-z0-9]/g, "-").toLowerCase()}`, {
        role: this.resource.name,
        policyArn: `arn:${label.partition}:iam::aws:policy/${policy}`,
      });
      suppress(attachment, { rule: "iam-no-aws-managed-policies", reason });
    }
    this.roleArn = this.resource.arn;
    this.roleName = this.resource.name;
  }

  public addToPolicy(statement: PolicyStatement): void {
    if (!this.statements.add(statement) || this.statements.length > 1) return;
    // The first grant creates the inline policy; later grants join it before synth.
    new IamRolePolicy(this, "policy", {
      name: this.policyName,
      role: this.resource.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements.statements) }),
    });
  }
}
