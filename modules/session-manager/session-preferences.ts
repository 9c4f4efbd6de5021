import { Construct } from "constructs";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Label, TaggableProps, ssmDocumentNameProblem } from "../label";
import { PropsCheck } from "../validation";

/** The document Session Manager uses when a session names none: the region's defaults. */
export const DEFAULT_SESSION_DOCUMENT = "SSM-SessionManagerRunShell";

export interface SessionPreferencesProps extends TaggableProps {
  /** The document's name: a Keel name, or `DEFAULT_SESSION_DOCUMENT` for the region's defaults. */
  readonly documentName: string;
  /** What the console shows. */
  readonly description: string;
  /** The KMS-encrypted log group every session streams to. */
  readonly logGroupName: string;
  /**
   * Minutes an idle session stays open, 1-60.
   * @default 20
   */
  readonly idleSessionTimeout?: number;
}

/**
 * Session Manager preferences: sessions stream to a CloudWatch log group,
 * and the agent refuses to start one unless the group is encrypted
 * (`cloudWatchEncryptionEnabled`); no run-as, an idle timeout. The one
 * definition of what a logged session is, for the bastion's own document
 * and for the account's regional default.
 */
export class SessionPreferences extends Construct {
  public readonly document: SsmDocument;
  public readonly documentName: string;

  constructor(scope: Construct, id: string, props: SessionPreferencesProps) {
    super(scope, id);
    const timeout = props.idleSessionTimeout ?? 20;
    const nameProblem = ssmDocumentNameProblem(props.documentName);
    new PropsCheck("SessionPreferences")
      .integer("idleSessionTimeout", timeout, 1, 60)
      .require(nameProblem === undefined, "documentName", props.documentName, nameProblem ?? "")
      .nonEmpty("logGroupName", props.logGroupName)
      .tags("tags", props.tags)
      .done();
    this.document = new SsmDocument(this, "resource", {
      name: props.documentName,
      documentType: "Session",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: props.description,
        sessionType: "Standard_Stream",
        inputs: {
          cloudWatchLogGroupName: props.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3BucketName: "",
          runAsEnabled: false,
          idleSessionTimeout: String(timeout),
          shellProfile: { linux: "" },
        },
      }),
      tags: Label.of(this).resourceTags(props.documentName, props.tags),
    });
    this.documentName = this.document.name;
  }
}
