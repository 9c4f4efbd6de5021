import * as http from "node:http";
import { SANDBOX_CREDENTIALS } from "./override";

/**
 * What CI publishes between the artifact stage and the full apply, sent to an
 * emulator: the emulator checks no signature, but reads the service from the
 * credential scope of the Authorization header, as AWS's SigV4 carries it.
 * Only ever sent to 127.0.0.1.
 */
function send(endpoint: string, service: string, method: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<string> {
  const url = new URL(path, endpoint);
  if (url.hostname !== "127.0.0.1") throw new Error(`Refusing to publish to ${url.hostname}: the sandbox talks to 127.0.0.1 only`);
  const data = typeof body === "string" ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        headers: {
          ...headers,
          "content-length": String(data.length),
          authorization: `AWS4-HMAC-SHA256 Credential=${SANDBOX_CREDENTIALS.access_key}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((response.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path} (${service}) answered ${response.statusCode}: ${text.slice(0, 300)}`));
          else resolve(text);
        });
      },
    );
    request.on("error", reject);
    request.end(data);
  });
}

/** Puts an object, as CI uploads a function package. */
export async function putObject(endpoint: string, bucket: string, key: string, body: Buffer): Promise<void> {
  await send(endpoint, "s3", "PUT", `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`, { "content-type": "application/zip" }, body);
}

/** Pushes an image manifest under `tag`, as CI's `docker push` ends. */
export async function putImage(endpoint: string, repository: string, tag: string): Promise<void> {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 2, digest: `sha256:${"0".repeat(64)}` },
    layers: [],
  });
  await send(
    endpoint,
    "ecr",
    "POST",
    "/",
    { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.PutImage" },
    JSON.stringify({ repositoryName: repository, imageTag: tag, imageManifest: manifest }),
  );
}

/**
 * The smallest valid zip: one stored file. What the sandbox uploads where a
 * function's package belongs; the emulator never runs it.
 */
export function placeholderZip(name = "keel-sandbox.txt", text = "Uploaded by keel sandbox in place of CI's package.\n"): Buffer {
  const content = Buffer.from(text);
  const fileName = Buffer.from(name);
  const crc = crc32(content);
  // Stored (no compression): the local header, the file, the central directory, its end record.
  const local = header(30, [[0, 4, 0x04034b50], [4, 2, 10], [14, 4, crc], [18, 4, content.length], [22, 4, content.length], [26, 2, fileName.length]]);
  const central = header(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 10], [16, 4, crc], [20, 4, content.length], [24, 4, content.length], [28, 2, fileName.length]]);
  const localSize = local.length + fileName.length + content.length;
  const end = header(22, [[0, 4, 0x06054b50], [8, 2, 1], [10, 2, 1], [12, 4, central.length + fileName.length], [16, 4, localSize]]);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

/** A zero-filled record with little-endian fields at [offset, width in bytes, value]. */
function header(size: number, fields: ReadonlyArray<readonly [number, 2 | 4, number]>): Buffer {
  const record = Buffer.alloc(size);
  for (const [offset, width, value] of fields) {
    if (width === 2) record.writeUInt16LE(value, offset);
    else record.writeUInt32LE(value, offset);
  }
  return record;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
