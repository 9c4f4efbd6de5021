import { PropsCheck } from "../validation";
import { checkRetention } from "../logs";
import { ACCOUNT_THROTTLE, ApiCors, ApiThrottle, CORS_METHODS, originProblem } from "./constants";

/** What both kinds of API check alike: name, CORS, throttling and log retention. */
export function checkApiProps(check: PropsCheck, props: { name?: string; cors?: ApiCors; throttle?: ApiThrottle; logRetentionInDays?: number }, throttle: ApiThrottle): PropsCheck {
  check.shortName("name", props.name ?? "api");
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 365);
  check
    .integer("throttle.rateLimit", throttle.rateLimit, 1, ACCOUNT_THROTTLE.rateLimit)
    .integer("throttle.burstLimit", throttle.burstLimit, 1, ACCOUNT_THROTTLE.burstLimit);
  const cors = props.cors;
  if (cors !== undefined) {
    check.require(cors.allowOrigins.length > 0, "cors.allowOrigins", cors.allowOrigins, "at least one origin").distinct("cors.allowOrigins", cors.allowOrigins);
    cors.allowOrigins.forEach((o, i) => check.require(originProblem(o) === undefined, `cors.allowOrigins.${i}`, o, originProblem(o) ?? ""));
    (cors.allowMethods ?? []).forEach((m, i) => check.oneOf(`cors.allowMethods.${i}`, m, CORS_METHODS));
    // A header name is an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~), or "*" for any;
    // the quote is left out because a REST API writes the list inside '...'.
    (cors.allowHeaders ?? []).forEach((h, i) => check.require(/^(\*|[A-Za-z0-9!#$%&*+.^_`|~-]{1,128})$/.test(h), `cors.allowHeaders.${i}`, h, "a header name (letters, digits and !#$%&*+-.^_`|~) or *"));
    check.integer("cors.maxAgeSeconds", cors.maxAgeSeconds ?? 600, 0, 86400);
  }
  return check;
}
