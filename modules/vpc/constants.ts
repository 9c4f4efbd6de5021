/** Interface endpoints Keel knows, for private subnets without NAT. Provider-free: config validation reads it. */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "ssmmessages",
  "ec2messages",
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The endpoints Session Manager needs when there is no route to the internet. */
export const SSM_ENDPOINTS: readonly InterfaceEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];

/** Which traffic a flow log records. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];
