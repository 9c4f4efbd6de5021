/**
 * Where the bastion's AMI comes from. Neither calls AWS at plan time.
 * - `ssmParameter`: EC2 resolves the public parameter when the instance launches
 *   (`resolve:ssm:` in the launch template); later AMIs take effect on replacement.
 * - `imageId`: a pinned AMI id.
 * Provider-free: config validation reads it.
 */
export type BastionAmi = { readonly ssmParameter: string } | { readonly imageId: string };

/** Amazon Linux 2023, x86_64: the default AMI parameter. */
export const AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
