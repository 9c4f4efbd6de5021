// The two npm emulators ship no type declarations; these cover what the tests use.
declare module "s3rver" {
  interface S3rverOptions {
    port: number;
    address: string;
    silent: boolean;
    directory: string;
    configureBuckets: Array<{ name: string }>;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Set once run() resolves. */
    httpServer: import("node:http").Server;
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  }
}

declare module "dynalite" {
  import { Server } from "node:http";
  export default function dynalite(options: { createTableMs: number }): Server;
}
