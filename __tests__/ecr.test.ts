import { Testing } from "cdktf";
import { Repository, RepositoryProps } from "../modules/ecr";
import { ServiceRole } from "../modules/iam";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, synth } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

function build(extra: Partial<RepositoryProps> = {}) {
  const stack = moduleStack();
  const repository = new Repository(stack, "api", { name: "api", kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production, ...extra });
  return { stack, repository, json: () => synth(stack) };
}

describe("Repository", () => {
  const json = build().json();
  const repo = only(json, "aws_ecr_repository");

  it("matches the snapshot", () => {
    expect(Testing.synth(build().stack)).toMatchSnapshot();
  });

  it("scans on push", () => {
    expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  it("has immutable tags: a tag names one image forever", () => {
    expect(repo.image_tag_mutability).toBe("IMMUTABLE");
  });

  it("encrypts images with the given KMS key", () => {
    expect(repo.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: TEST_KEY }]);
  });

  it("keeps its images on destroy and has prevent_destroy in production; a disposable repository is emptied and deleted", () => {
    expect(repo).toMatchObject({ name: "keel-test-api", force_delete: false, lifecycle: { prevent_destroy: true } });
    // Without force_delete a destroy stops at the first image (RepositoryNotEmptyException), as the emulator tier showed.
    expect(only(build({ protection: PROTECTION_PROFILES.disposable }).json(), "aws_ecr_repository")).toMatchObject({ force_delete: true, lifecycle: { prevent_destroy: false } });
  });

  it("expires untagged images after 7 days and keeps the last 30 tagged, by default", () => {
    expect(JSON.parse(only(json, "aws_ecr_lifecycle_policy").policy as string).rules).toEqual([
      {
        rulePriority: 1,
        description: "Expire untagged images after 7 days",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: "Keep the last 30 tagged images",
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
        action: { type: "expire" },
      },
    ]);
  });

  it("takes its lifecycle numbers from props", () => {
    const rules = JSON.parse(only(build({ keepTaggedImages: 10, untaggedImageExpiryDays: 3 }).json(), "aws_ecr_lifecycle_policy").policy as string).rules;
    expect(rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([3, 10]);
  });

  it("grants pull of this repository only, and the account-wide registry token", () => {
    const { stack, repository } = build();
    const role = new ServiceRole(stack, "exec", { purpose: "exec", servicePrincipal: "ecs-tasks.amazonaws.com" });
    repository.grantPull(role);
    expect(JSON.parse(only(synth(stack), "aws_iam_role_policy").policy as string).Statement).toEqual([
      { Sid: "GetEcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullApi",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: "${aws_ecr_repository.api.arn}",
      },
    ]);
  });

  describe("validation", () => {
    it.each([
      [{ name: "API" }, "field 'name': value \"API\" is not allowed: lower-case letters, digits and single dashes"],
      [{ keepTaggedImages: 0 }, "field 'keepTaggedImages': value 0 is not allowed: a whole number from 1 to 1000"],
      [{ untaggedImageExpiryDays: 0.5 }, "field 'untaggedImageExpiryDays': value 0.5 is not allowed: a whole number from 1 to 365"],
      [{ kmsKeyArn: "" }, "field 'kmsKeyArn': value \"\" is not allowed: a non-empty string"],
    ])("rejects %j", (extra, message) => {
      expect(() => build(extra)).toThrow(message);
    });
  });
});
