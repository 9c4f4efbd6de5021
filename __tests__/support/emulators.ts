import * as http from "node:http";
import { AddressInfo } from "node:net";
import S3rver from "s3rver";
import dynalite from "dynalite";

/**
 * S3 (s3rver) and DynamoDB (dynalite) on 127.0.0.1, on ports the OS picks:
 * enough of AWS for Terraform's S3 backend with DynamoDB locking.
 */
export interface Emulators {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  /**
   * Every request either emulator received, in order of arrival: S3 as
   * `PUT /<bucket>/<key>` plus its SSE headers, DynamoDB as its action and
   * body. Tests read it to see what Terraform did, and when.
   */
  readonly requests: EmulatorRequest[];
  /** One DynamoDB API call (dynalite checks the shape of a signature, not its value). */
  dynamodb(action: string, body: object): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export type EmulatorRequest =
  | { readonly service: "s3"; readonly method: string; readonly path: string; readonly sse?: string; readonly sseKeyId?: string }
  | { readonly service: "dynamodb"; readonly action: string; readonly body: Record<string, unknown> };

/** s3rver accepts only this access key. */
export const EMULATOR_ACCESS_KEY = "S3RVER";

export async function startEmulators(directory: string, bucket: string): Promise<Emulators> {
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
  const s3Address = await s3.run();
  const dynamo = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", resolve));
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  const requests: EmulatorRequest[] = [];
  s3.httpServer.on("request", (req: http.IncomingMessage) => {
    const header = (name: string): string | undefined => req.headers[name] as string | undefined;
    requests.push({
      service: "s3",
      method: req.method ?? "",
      path: decodeURIComponent((req.url ?? "").split("?")[0]),
      sse: header("x-amz-server-side-encryption"),
      sseKeyId: header("x-amz-server-side-encryption-aws-kms-key-id"),
    });
  });
  dynamo.on("request", (req: http.IncomingMessage) => {
    // The slot is taken on arrival, so the order is the order Terraform sent them in.
    const index = requests.push({ service: "dynamodb", action: "", body: {} }) - 1;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      requests[index] = { service: "dynamodb", action: target.replace(/^DynamoDB_\d+\./, ""), body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") };
    });
  });

  const call = (action: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: dynamoPort,
          method: "POST",
          path: "/",
          headers: {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": `DynamoDB_20120810.${action}`,
            "X-Amz-Date": "20260101T000000Z",
            Authorization: `AWS4-HMAC-SHA256 Credential=${EMULATOR_ACCESS_KEY}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (c: Buffer) => chunks.push(c));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }),
          );
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify(body));
    });

  return {
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    requests,
    dynamodb: call,
    close: async () => {
      await s3.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
