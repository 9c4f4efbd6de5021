import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Label } from "../label";
import { PropsCheck } from "../validation";
import { Conditions, PolicyStatement, assumeRolePolicy, policyDocument } from "./policy";

export interface ServiceRoleProps {
  /** Role purpose; the role is named `<namespace>-<env>-<purpose>`. */
  readonly purpose: string;
  /** The service that assumes the role, e.g. `vpc-flow-logs.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Conditions on the trust policy (confused-deputy protection).
   * @default - none
   */
  readonly trustConditions?: Conditions;
  /**
   * AWS-managed policies to attach, by name (e.g. `AmazonSSMManagedInstanceCore`).
   * @default []
   */
  readonly managedPolicies?: readonly string[];
  /**
   * Inline policy statements.
   * @default [] - no inline policy
   */
  readonly statements?: readonly PolicyStatement[];
}

/** An IAM role for one AWS service: trust, managed policies and an inline policy, in one place. */
export class ServiceRole extends Construct {
  public readonly resource: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const managed = props.managedPolicies ?? [];
    const check = new PropsCheck(`ServiceRole '${props.purpose}'`).nonEmpty("servicePrincipal", props.servicePrincipal);
    managed.forEach((name, i) =>
      check.require(/^[A-Za-z0-9+=,.@_/-]+$/.test(name) && !name.startsWith("arn:"), `managedPolicies[${i}]`, name, "an AWS-managed policy name, not an ARN"),
    );
    const label = Label.of(this);
    const name = label.id(props.purpose, "iamRole");
    this.resource = new IamRole(this, "resource", {
      name,
      assumeRolePolicy: assumeRolePolicy(props.servicePrincipal, props.trustConditions),
      tags: label.resourceTags(name),
    });
    for (const policy of managed) {
      new IamRolePolicyAttachment(this, `managed-${policy.replace(/[^A-Za-z0-9]/g, "-").toLowerCase()}`, {
        role: this.resource.name,
        policyArn: `arn:${label.partition}:iam::aws:policy/${policy}`,
      });
    }
    if ((props.statements ?? []).length > 0) {
      new IamRolePolicy(this, "policy", {
        name,
        role: this.resource.id,
        policy: policyDocument(props.statements ?? []),
      });
    }
    this.roleArn = this.resource.arn;
    this.roleName = this.resource.name;
  }
}
