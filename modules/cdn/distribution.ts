import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { Label, TaggableProps } from "../label";
import { Bucket } from "../buckets";
import { IAliasTarget, isDomainName } from "../dns/zone";
import { checkCertificateArn } from "../dns/certificate";
import { Metric, MetricOptions, metric } from "../metrics";
import { PropsCheck } from "../validation";
import { subdirectoryIndexCode } from "./subdirectory-index";
import { MANAGED_CACHE_POLICIES, MANAGED_CACHE_POLICY_NAMES, ManagedCachePolicy, PRICE_CLASSES, PriceClass, SECURITY_HEADERS_POLICY_ID } from "./constants";

export interface DistributionProps extends TaggableProps {
  /** What it serves, `[a-z0-9-]`; its comment and log names are `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** The S3 bucket it serves, read through origin access control (never the legacy OAI). */
  readonly origin: Bucket;
  /**
   * Names viewers use (CNAMEs); they need `certificateArn`.
   * @default [] - only the distribution's *.cloudfront.net name
   */
  readonly domainNames?: readonly string[];
  /**
   * An ACM certificate in us-east-1 that covers `domainNames`; viewers then
   * need TLS 1.2 or later (TLSv1.2_2021), over SNI.
   * @default - the *.cloudfront.net certificate (which still admits TLS 1.0 for that name)
   */
  readonly certificateArn?: string;
  /** @default "PriceClass_100" - North America and Europe */
  readonly priceClass?: PriceClass;
  /** An AWS managed cache policy, by name. @default "CachingOptimized" */
  readonly cachePolicy?: ManagedCachePolicy;
  /** A web ACL of scope CLOUDFRONT (its ARN). @default - none */
  readonly webAclArn?: string;
  /**
   * Access logs (standard logging v2, JSON) to this bucket, which then admits
   * CloudWatch Logs' delivery service for this account's delivery sources.
   * @default - not logged
   */
  readonly logBucket?: Bucket;
  /**
   * Serve a directory's index document: `/about/` is answered with
   * `/about/index.html` (the origin's `website.indexDocument`), by a
   * CloudFront Function on viewer request. A static-site export needs it:
   * without it S3 has no object `about/` and answers 403.
   * @default false
   */
  readonly subdirectoryIndex?: boolean;
}


/**
 * A CloudFront distribution in front of one S3 bucket: origin access control
 * signing every request (the bucket admits `cloudfront.amazonaws.com` for
 * this distribution only, and so does its KMS key), viewers redirected to
 * HTTPS, TLS 1.2+ with a custom certificate, AWS's security headers policy,
 * a managed cache policy, and optionally a web ACL and access logs.
 *
 * Build it in the stack's us-east-1 scope: its log delivery source must be
 * in us-east-1.
 */
export class Distribution extends Construct implements IAliasTarget {
  public readonly resource: CloudfrontDistribution;
  public readonly distributionId: string;
  public readonly distributionArn: string;
  public readonly domainName: string;
  public readonly aliasDnsName: string;
  public readonly aliasZoneId: string;

  constructor(scope: Construct, id: string, props: DistributionProps) {
    super(scope, id);
    const label = Label.of(this);
    validate(props, label.region, label.accountId);
    const name = label.id(props.name);
    const site = props.origin.website;
    const oac = new CloudfrontOriginAccessControl(this, "origin-access-control", {
      name,
      description: `CloudFront ${name} reads ${props.origin.bucketName}`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    const originId = props.origin.node.id;
    const index =
      props.subdirectoryIndex === true
        ? new CloudfrontFunction(this, "subdirectory-index", {
            name: label.id(`${props.name}-subdirectory-index`, "cloudfrontFunction"),
            runtime: "cloudfront-js-2.0",
            comment: `Serves <dir>/${site?.indexDocument ?? "index.html"} for <dir>/`,
            publish: true,
            code: subdirectoryIndexCode(site?.indexDocument ?? "index.html"),
          })
        : undefined;
    const custom = props.certificateArn !== undefined;
    this.resource = new CloudfrontDistribution(this, "resource", {
      comment: name,
      enabled: true,
      isIpv6Enabled: false,
      httpVersion: "http2and3",
      priceClass: props.priceClass ?? "PriceClass_100",
      aliases: [...(props.domainNames ?? [])],
      ...(site === undefined ? {} : { defaultRootObject: site.indexDocument }),
      origin: [{ originId, domainName: props.origin.regionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: MANAGED_CACHE_POLICIES[props.cachePolicy ?? "CachingOptimized"],
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
        ...(index === undefined ? {} : { functionAssociation: [{ eventType: "viewer-request", functionArn: index.arn }] }),
      },
      // Without s3:ListBucket a missing key is 403, not 404: both show the error document.
      customErrorResponse:
        site?.errorDocument === undefined
          ? []
          : [403, 404].map((code) => ({ errorCode: code, responseCode: 404, responsePagePath: `/${site.errorDocument}`, errorCachingMinTtl: 60 })),
      restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
      viewerCertificate: custom
        ? { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
        : { cloudfrontDefaultCertificate: true },
      ...(props.webAclArn === undefined ? {} : { webAclId: props.webAclArn }),
      tags: label.resourceTags(name, props.tags),
    });
    this.distributionId = this.resource.id;
    this.distributionArn = this.resource.arn;
    this.domainName = this.resource.domainName;
    this.aliasDnsName = this.resource.domainName;
    this.aliasZoneId = this.resource.hostedZoneId;
    props.origin.allowServiceRead("cloudfront.amazonaws.com", props.name, { StringEquals: { "aws:SourceArn": this.distributionArn } });

    if (props.logBucket !== undefined) {
      const source = new CloudwatchLogDeliverySource(this, "log-source", { name, logType: "ACCESS_LOGS", resourceArn: this.distributionArn, tags: label.resourceTags(name, props.tags) });
      const destination = new CloudwatchLogDeliveryDestination(this, "log-destination", {
        name,
        outputFormat: "json",
        deliveryDestinationConfiguration: [{ destinationResourceArn: props.logBucket.bucketArn }],
        tags: label.resourceTags(name, props.tags),
      });
      new CloudwatchLogDelivery(this, "log-delivery", {
        deliverySourceName: source.name,
        deliveryDestinationArn: destination.arn,
        s3DeliveryConfiguration: [{ suffixPath: `cloudfront/${props.name}/{yyyy}/{MM}/{dd}`, enableHiveCompatiblePath: false }],
        tags: label.resourceTags(name, props.tags),
      });
      props.logBucket.allowLogDelivery(label.region);
    }
  }

  /** A distribution metric (namespace AWS/CloudFront, reported in us-east-1 with `Region: Global`). */
  public metric(metricName: string, options?: MetricOptions): Metric {
    return metric("AWS/CloudFront", metricName, { DistributionId: this.distributionId, Region: "Global" }, metricName === "Requests" ? "Sum" : "Average", options);
  }

  /** Requests served. */
  public metricRequests(options?: MetricOptions): Metric {
    return this.metric("Requests", options);
  }

  /** Percentage of responses with a 5xx status. */
  public metric5xxErrorRate(options?: MetricOptions): Metric {
    return this.metric("5xxErrorRate", options);
  }
}

function validate(props: DistributionProps, region: string, accountId: string): void {
  const check = new PropsCheck(`Distribution '${props.name}'`);
  const names = props.domainNames ?? [];
  check
    .shortName("name", props.name)
    .require(region === "us-east-1", "(region)", region, "us-east-1: build the distribution in the stack's us-east-1 scope (its log source and certificate live there)")
    .oneOf("priceClass", props.priceClass ?? "PriceClass_100", PRICE_CLASSES)
    .oneOf("cachePolicy", props.cachePolicy ?? "CachingOptimized", MANAGED_CACHE_POLICY_NAMES)
    .distinct("domainNames", names)
    .tags("tags", props.tags);
  names.forEach((n, i) => check.require(isDomainName(n), `domainNames.${i}`, n, "a lower-case DNS name (a leading *. allowed)"));
  if (names.length > 0) check.require(props.certificateArn !== undefined, "certificateArn", "(none)", "an ACM certificate in us-east-1 covering domainNames");
  // CloudFront uses certificates from us-east-1 only, of its own account.
  checkCertificateArn(check, "certificateArn", props.certificateArn, { region: "us-east-1", accountId }, "CloudFront");
  check.done();
}
