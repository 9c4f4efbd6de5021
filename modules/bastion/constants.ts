/** The CPU architectures of the AMIs and instance types Keel supports. */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/**
 * Where the bastion's AMI comes from. Neither calls AWS at plan time.
 * - `ssmParameter`: EC2 resolves the public parameter when the instance launches
 *   (`resolve:ssm:` in the launch template); later AMIs take effect on replacement.
 *   Its architecture is read from the parameter's name (`..._x86_64`, `..._arm64`).
 * - `imageId`: a pinned AMI id, with the architecture it was built for.
 * Provider-free: config validation reads it.
 */
export type BastionAmi = { readonly ssmParameter: string } | { readonly imageId: string; readonly architecture: Architecture };

/** Amazon Linux 2023, x86_64: the default AMI parameter. */
export const AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/**
 * The instance families Keel supports for small EC2 hosts, with their
 * architecture and sizes (from AWS's instance type pages, reviewed
 * 2026-11-22: https://aws.amazon.com/ec2/instance-types/). A type outside
 * this list is refused at synth; add a family here to use it.
 */
export const INSTANCE_FAMILIES: Readonly<Record<string, { readonly architecture: Architecture; readonly sizes: readonly string[] }>> = {
  t3: { architecture: "x86_64", sizes: ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"] },
  t3a: { architecture: "x86_64", sizes: ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"] },
  t4g: { architecture: "arm64", sizes: ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"] },
  m6i: { architecture: "x86_64", sizes: ["large", "xlarge", "2xlarge", "4xlarge"] },
  m7i: { architecture: "x86_64", sizes: ["large", "xlarge", "2xlarge", "4xlarge"] },
  m6g: { architecture: "arm64", sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge"] },
  m7g: { architecture: "arm64", sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge"] },
  c7g: { architecture: "arm64", sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge"] },
  c7i: { architecture: "x86_64", sizes: ["large", "xlarge", "2xlarge", "4xlarge"] },
};

/** The architecture of a catalogued instance type, or undefined if Keel does not know the type. */
export function instanceTypeArchitecture(instanceType: string): Architecture | undefined {
  const [family, size, extra] = instanceType.split(".");
  const known = INSTANCE_FAMILIES[family];
  return known !== undefined && extra === undefined && known.sizes.includes(size) ? known.architecture : undefined;
}

/** The architecture an AMI source names, if it names one. */
export function amiArchitecture(ami: BastionAmi): Architecture | undefined {
  if ("imageId" in ami) return ami.architecture;
  return ARCHITECTURES.find((a) => ami.ssmParameter.endsWith(`-${a}`) || ami.ssmParameter.endsWith(`_${a}`));
}
