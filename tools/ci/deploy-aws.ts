import { DescribeImageScanFindingsCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand, ScanNotFoundException } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand, UpdateServiceCommand as UpdateAppRunnerCommand } from "@aws-sdk/client-apprunner";
import { run } from "../terraform";
import { DeployApi, TaskDefinition } from "./deploy";

/** DeployApi with the AWS SDK, in the region given, with the job's credentials (the deploy role). */
export function awsDeployApi(region: string): DeployApi & { pushImage(repository: string, tag: string, context: string): Promise<string> } {
  const ecr = new ECRClient({ region });
  const ecs = new ECSClient({ region });
  const lambda = new LambdaClient({ region });
  const apprunner = new AppRunnerClient({ region });
  const repositoryUri = async (repository: string): Promise<string> => {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    return found.repositories?.[0]?.repositoryUri ?? "";
  };
  return {
    async imageScan(repository, tag) {
      const uri = `${await repositoryUri(repository)}:${tag}`;
      try {
        const scan = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId: { imageTag: tag } }));
        const counts = scan.imageScanFindings?.findingSeverityCounts ?? {};
        return { status: scan.imageScanStatus?.status ?? "IN_PROGRESS", critical: counts.CRITICAL ?? 0, high: counts.HIGH ?? 0, uri };
      } catch (error) {
        // The scan on push starts moments after the push.
        if (error instanceof ScanNotFoundException) return { status: "IN_PROGRESS", critical: 0, high: 0, uri };
        throw error;
      }
    },
    async currentTaskDefinition(family) {
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
      return described.taskDefinition as unknown as TaskDefinition;
    },
    async registerTaskDefinition(definition) {
      const registered = await ecs.send(new RegisterTaskDefinitionCommand(definition as unknown as ConstructorParameters<typeof RegisterTaskDefinitionCommand>[0]));
      return registered.taskDefinition?.taskDefinitionArn ?? "";
    },
    async updateService(cluster, service, taskDefinition) {
      await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
    },
    async serviceState(cluster, service) {
      const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
      const s = described.services?.[0];
      const primary = s?.deployments?.find((d) => d.status === "PRIMARY");
      return { rollout: primary?.rolloutState ?? "IN_PROGRESS", running: s?.runningCount ?? 0, desired: s?.desiredCount ?? 0, deployments: s?.deployments?.length ?? 0, reason: primary?.rolloutStateReason };
    },
    async updateFunctionCode(functionName, zip) {
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
    },
    async functionState(functionName) {
      const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      return { status: c.LastUpdateStatus ?? "InProgress", reason: c.LastUpdateStatusReason };
    },
    async appRunnerService(serviceName) {
      const listed = await apprunner.send(new ListServicesCommand({}));
      const arn = listed.ServiceSummaryList?.find((s) => s.ServiceName === serviceName)?.ServiceArn;
      if (arn === undefined) throw new Error(`No App Runner service named ${serviceName} in ${region}`);
      const described = await apprunner.send(new DescribeServiceCommand({ ServiceArn: arn }));
      return { arn, status: described.Service?.Status ?? "" };
    },
    async updateAppRunnerImage(serviceArn, image) {
      const described = await apprunner.send(new DescribeServiceCommand({ ServiceArn: serviceArn }));
      const source = described.Service?.SourceConfiguration;
      if (source?.ImageRepository === undefined) throw new Error(`App Runner service ${serviceArn} does not run an image`);
      await apprunner.send(new UpdateAppRunnerCommand({ ServiceArn: serviceArn, SourceConfiguration: { ...source, ImageRepository: { ...source.ImageRepository, ImageIdentifier: image } } }));
    },
    wait(milliseconds) {
      return new Promise((resolve) => setTimeout(resolve, milliseconds));
    },
    /** docker build and push of `context` as `<repository>:<tag>`; the registry password goes to docker on stdin only. */
    async pushImage(repository, tag, context) {
      const uri = `${await repositoryUri(repository)}:${tag}`;
      const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
      const data = auth.authorizationData?.[0];
      const [user, password] = Buffer.from(data?.authorizationToken ?? "", "base64").toString("utf8").split(":");
      const login = await runWithInput("docker", ["login", "--username", user, "--password-stdin", data?.proxyEndpoint ?? ""], password);
      if (login.code !== 0) throw new Error(`docker login to ${data?.proxyEndpoint} failed: ${login.output.replace(password, "***")}`);
      for (const args of [["build", "--tag", uri, context], ["push", uri]]) {
        const result = await run("docker", args, { cwd: process.cwd(), echo: true });
        if (result.code !== 0) throw new Error(`docker ${args[0]} failed (exit ${result.code})`);
      }
      return uri;
    },
  };
}

async function runWithInput(command: string, args: readonly string[], input: string): Promise<{ code: number; output: string }> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(input);
  });
}
