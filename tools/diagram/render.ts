import * as fs from "node:fs";
import { instance } from "@viz-js/viz";
import { DiagramNode, Model, buildModel } from "./model";

/**
 * The architecture as Graphviz DOT, then SVG: nested boxes for region, VPC,
 * AZ and subnet tier, the services outside the VPC in their own boxes beside
 * it, and only the edges a request or a packet follows. Everything is sorted
 * before it is written, so the same stack always gives the same bytes.
 */

const COLOURS: Readonly<Record<DiagramNode["kind"], string>> = {
  compute: "#fde7c8",
  database: "#dbe8fb",
  network: "#e6e6e6",
  edge: "#e3f3e0",
  storage: "#f3e6f7",
  messaging: "#fff6c8",
  security: "#fbdada",
  external: "#ffffff",
  subnet: "#ffffff",
};

const TIER_ORDER = ["public", "private", "database", "isolated"];

const quote = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

function nodeLine(node: DiagramNode, indent: string): string {
  const shape = node.kind === "database" ? "cylinder" : node.kind === "subnet" ? "note" : node.kind === "external" ? "oval" : "box";
  return `${indent}${quote(node.id)} [label=${quote(node.label)}, shape=${shape}, style="filled,rounded", fillcolor=${quote(COLOURS[node.kind])}];`;
}

const byTier = (a: string, b: string): number => {
  const ia = TIER_ORDER.indexOf(a);
  const ib = TIER_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
};

export function toDot(model: Model, title: string): string {
  const lines: string[] = [
    `digraph ${quote(title)} {`,
    `  graph [label=${quote(title)}, labelloc=t, fontname="Helvetica", fontsize=16, rankdir=LR, compound=true, newrank=true, nodesep=0.3, ranksep=0.9];`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  let cluster = 0;
  const open = (label: string, indent: string, style: string): void => {
    lines.push(`${indent}subgraph cluster_${cluster++} {`, `${indent}  label=${quote(label)}; ${style}`);
  };
  lines.push(`  subgraph cluster_region {`, `    label=${quote(`Region ${model.region}`)}; style="rounded"; color="#555555";`);
  for (const vpc of [...model.vpcs].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    open(vpc.label, "    ", 'style="rounded,filled"; fillcolor="#f7fbff"; color="#3973ac";');
    for (const n of [...vpc.spanning].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(n, "      "));
    const subnets = model.subnets.filter((s) => s.vpc === vpc.id);
    for (const az of [...new Set(subnets.map((s) => s.az))].sort()) {
      open(`AZ ${az}`, "      ", 'style="dashed,rounded"; color="#777777";');
      for (const subnet of subnets.filter((s) => s.az === az).sort((a, b) => byTier(a.tier, b.tier) || (a.id < b.id ? -1 : 1))) {
        open(`${subnet.tier} ${subnet.cidr}`, "        ", `style="rounded,filled"; fillcolor=${subnet.tier === "public" ? '"#eef7ee"' : '"#fdfdf5"'}; color="#999999";`);
        lines.push(nodeLine({ id: subnet.id, label: `${subnet.tier} subnet\n${subnet.cidr}`, kind: "subnet" }, "          "));
        for (const n of [...subnet.nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(n, "          "));
        lines.push("        }");
      }
      lines.push("      }");
    }
    lines.push("    }");
  }
  for (const group of [...model.beside.keys()].sort()) {
    if (group === "Internet") continue;
    open(group, "    ", 'style="rounded"; color="#aaaaaa";');
    for (const n of [...model.beside.get(group)!].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(n, "      "));
    lines.push("    }");
  }
  lines.push("  }");
  for (const n of model.beside.get("Internet") ?? []) lines.push(nodeLine(n, "  "));
  const styles = { traffic: 'color="#3973ac"', request: 'color="#2e7d32", penwidth=1.5', route: 'color="#888888", style=dashed' };
  for (const e of [...model.edges].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1))) {
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.labels.join("\n"))}, ${styles[e.kind]}];`);
  }
  lines.push("}", "");
  return lines.join("\n");
}

let engine: ReturnType<typeof instance> | undefined;

/** Graphviz compiled to WebAssembly (@viz-js/viz): no system binary, the same layout everywhere. */
const graphviz = (): ReturnType<typeof instance> => (engine ??= instance());

export interface Diagram {
  readonly dot: string;
  readonly svg: string;
  readonly model: Model;
}

/** Draws a synthesized stack (its cdk.tf.json). */
export async function drawStack(jsonFile: string, title: string): Promise<Diagram> {
  const model = buildModel(JSON.parse(fs.readFileSync(jsonFile, "utf8")) as Record<string, unknown>);
  const dot = toDot(model, title);
  const svg = (await graphviz()).renderString(dot, { format: "svg", engine: "dot" });
  return { dot, svg, model };
}
