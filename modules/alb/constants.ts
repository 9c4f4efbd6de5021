/**
 * Who writes ALB access logs in each region Keel knows
 * (`modules/label/regions.ts`). Regions launched before August 2022 use the
 * regional Elastic Load Balancing account; newer ones the log-delivery
 * service principal. Source: "Enable access logs for your Application Load
 * Balancer", Elastic Load Balancing User Guide, reviewed 2026-11-22.
 * Provider-free.
 */
export const ELB_LOG_DELIVERY: Readonly<Record<string, { readonly account: string } | { readonly servicePrincipal: string }>> = {
  "us-east-1": { account: "127311923021" },
  "us-east-2": { account: "033677994240" },
  "us-west-1": { account: "027434742980" },
  "us-west-2": { account: "797873946194" },
  "ca-central-1": { account: "985666609251" },
  "eu-west-1": { account: "156460612806" },
  "eu-west-2": { account: "652711504416" },
  "eu-west-3": { account: "009996457667" },
  "eu-central-1": { account: "054676820928" },
  "eu-north-1": { account: "897822967062" },
  "ap-south-1": { account: "718504428378" },
  "ap-southeast-1": { account: "114774131450" },
  "ap-southeast-2": { account: "783225319266" },
  "ap-northeast-1": { account: "582318560864" },
  "sa-east-1": { account: "507241528517" },
  // Regions from August 2022 on, e.g.:
  "ap-south-2": { servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" },
  "ap-southeast-4": { servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" },
  "eu-central-2": { servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" },
  "eu-south-2": { servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" },
  "me-central-1": { servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" },
};

/**
 * The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 only, forward secrecy
 * (AWS's recommended policy for new listeners).
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** One route of the load balancer to a service. */
export interface AlbRoute {
  /** The service it forwards to (a key of the `ecs` services). */
  readonly service: string;
  /** Path the target group checks, e.g. `/health`. */
  readonly healthCheckPath: string;
  /**
   * Paths routed to the service, e.g. `["/api/*"]`; the one route without them is the default.
   * @default - the default route
   */
  readonly pathPatterns?: readonly string[];
}
