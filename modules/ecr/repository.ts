import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { Label, TaggableProps } from "../label";
import { IGrantable, pascalCase } from "../iam";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";

export interface RepositoryProps extends TaggableProps {
  /** The service whose images it holds, `[a-z0-9-]`: the repository is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** KMS key that encrypts the images (Omnirapeutic: the secrets key, which admits ECR). */
  readonly kmsKeyArn: string;
  /**
   * Tagged images kept; older ones expire.
   * @default 30
   */
  readonly keepTaggedImages?: number;
  /**
   * Days an untagged image (a superseded push) is kept.
   * @default 7
   */
  readonly untaggedImageExpiryDays?: number;
  /** `preventDestroy` on the repository; it is never force-deleted with images in it. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "emptyOnDestroy">;
}

/**
 * An ECR repository for one service: scan on push, immutable tags (a tag
 * names one image forever, so a task definition means one image), KMS
 * encryption, and a lifecycle policy that keeps the last tagged images and
 * expires untagged ones.
 */
export class Repository extends Construct {
  public readonly resource: EcrRepository;
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: RepositoryProps) {
    super(scope, id);
    const keep = props.keepTaggedImages ?? 30;
    const untagged = props.untaggedImageExpiryDays ?? 7;
    new PropsCheck(`Repository '${props.name}'`)
      .shortName("name", props.name)
      .integer("keepTaggedImages", keep, 1, 1000)
      .integer("untaggedImageExpiryDays", untagged, 1, 365)
      .nonEmpty("kmsKeyArn", props.kmsKeyArn)
      .tags("tags", props.tags)
      .done();
    const label = Label.of(this);
    this.repositoryName = label.id(props.name, "ecrRepository");
    this.resource = new EcrRepository(this, "resource", {
      name: this.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: props.protection.emptyOnDestroy,
      tags: label.resourceTags(this.repositoryName, props.tags),
      lifecycle: { preventDestroy: props.protection.preventDestroy },
    });
    new EcrLifecyclePolicy(this, "lifecycle-policy", {
      repository: this.resource.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untagged} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untagged },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${keep} tagged images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryArn = this.resource.arn;
    this.repositoryUrl = this.resource.repositoryUrl;
  }

  /**
   * Lets `grantee` pull images from this repository only (the registry
   * token is account-wide by AWS's design and names no repository).
   */
  /**
   * Lets `grantee` push images to this repository only and read their scan
   * findings (CI's deploy role): the layer uploads, the tag, and the scan
   * on push that a deploy waits for.
   */
  public grantPush(grantee: IGrantable): void {
    const name = pascalCase(this.node.id);
    grantee.addToPolicy({ sid: "GetEcrAuthorizationToken", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
    grantee.addToPolicy({
      sid: `Push${name}`,
      actions: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:DescribeImageScanFindings",
      ],
      resources: [this.repositoryArn],
    });
  }

  public grantPull(grantee: IGrantable): void {
    const name = pascalCase(this.node.id);
    grantee.addToPolicy({ sid: "GetEcrAuthorizationToken", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
    grantee.addToPolicy({
      sid: `Pull${name}`,
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      resources: [this.repositoryArn],
    });
  }
}
