import { Construct } from "constructs";
import { Fn, TerraformIterator, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Label, TaggableProps } from "../label";
import { PropsCheck, isUnresolved } from "../validation";
import { HostedZone } from "./zone";

export interface CertificateProps extends TaggableProps {
  /** The names it covers; the first is the subject, the rest alternative names. All in `zone`. */
  readonly domainNames: readonly string[];
  /** The zone that holds the DNS validation records. */
  readonly zone: HostedZone;
}

/** ACM's default quota of names per certificate (adjustable up to 100 through Service Quotas). */
export const ACM_NAMES_PER_CERTIFICATE = 10;

/**
 * A public ACM certificate validated by DNS: the certificate, one CNAME per
 * name in the zone (keyed by the name, so adding a name adds one record),
 * and the validation that waits until ACM has issued it. `certificateArn`
 * is the validation's, so whatever uses it waits for an issued certificate.
 *
 * A certificate for CloudFront must be in us-east-1: create it in a scope
 * the stack gives that region's provider (see `stacks/edge.ts`).
 */
export class Certificate extends Construct {
  public readonly resource: AcmCertificate;
  /** The issued certificate's ARN; using it waits for validation. */
  public readonly certificateArn: string;
  public readonly domainNames: readonly string[];

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const check = new PropsCheck("Certificate")
      .require(props.domainNames.length > 0, "domainNames", props.domainNames, "at least one name")
      .require(props.domainNames.length <= ACM_NAMES_PER_CERTIFICATE, "domainNames", props.domainNames.length, `at most ${ACM_NAMES_PER_CERTIFICATE} names (ACM's default quota)`)
      .tags("tags", props.tags);
    props.zone.checkNames(check, "domainNames", props.domainNames).done();
    const label = Label.of(this);
    const [subject, ...alternatives] = props.domainNames;
    this.domainNames = props.domainNames;
    this.resource = new AcmCertificate(this, "resource", {
      domainName: subject,
      subjectAlternativeNames: alternatives,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: label.resourceTags(subject, props.tags),
      // A changed name list issues a new certificate before the old one is let go.
      lifecycle: { createBeforeDestroy: true },
    });
    // Keyed by the names as written, which Terraform knows at plan time (the
    // validation options themselves are known only once ACM has the request).
    const names = TerraformIterator.fromList([...props.domainNames]);
    const options = TerraformIterator.fromComplexList(this.resource.domainValidationOptions, "domain_name");
    const option = (field: string): string => Fn.one(options.forExpressionForList(`val.${field} if val.domain_name == each.key`)) as string;
    const records = new Route53Record(this, "validation-record", {
      forEach: names,
      zoneId: props.zone.zoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 300,
      // A wildcard and its apex share one validation record.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.resource.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
    });
    this.certificateArn = validation.certificateArn;
  }
}

/**
 * Checks a certificate a team brings (`certificateArn`): an ACM ARN in
 * `region` and `accountId`, where the service using it can read it. ALB
 * listeners and API Gateway regional domains use their own region's
 * certificates; CloudFront only us-east-1's; none can use another account's.
 */
export function checkCertificateArn(check: PropsCheck, field: string, arn: string | undefined, where: { region: string; accountId: string }, user: string): void {
  if (arn === undefined) return;
  const parts = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]+$/.exec(arn);
  check.require(parts !== null, field, arn, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
  if (parts !== null && !isUnresolved(where.region) && !isUnresolved(where.accountId)) {
    check.require(parts[1] === where.region && parts[2] === where.accountId, field, arn, `a certificate in ${where.region} of account ${where.accountId}: ${user} cannot use one from another region or account`);
  }
}
