import * as fs from "node:fs";
import { instance } from "@viz-js/viz";
import { DiagramNode, Model, Subnet, buildModel } from "./model";

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
/** How many services a group beside the VPC stacks before it starts another column. */
const GROUP_ROWS = 3;

const quote = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** The widest line a box holds, in characters: longer names wrap at their dashes, dots and spaces. */
const WRAP_AT = 24;

/**
 * A label as lines no longer than WRAP_AT where the text allows: each line
 * breaks after a dash, dot, slash or space; a run without one is cut. The
 * full text goes in the node's tooltip (`<title>` in the SVG).
 */
export function wrapLabel(label: string, width = WRAP_AT): string {
  return label
    .split("\n")
    .flatMap((line) => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > width) {
        const window = rest.slice(0, width);
        const cut = Math.max(window.lastIndexOf("-"), window.lastIndexOf("."), window.lastIndexOf("/"), window.lastIndexOf(" "));
        const at = cut > width / 3 ? cut + 1 : width;
        out.push(rest.slice(0, at).trimEnd());
        rest = rest.slice(at).trimStart();
      }
      return [...out, rest];
    })
    .join("\n");
}

function nodeLine(node: DiagramNode, indent: string): string {
  const shape = node.kind === "database" ? "cylinder" : node.kind === "subnet" ? "note" : node.kind === "external" ? "oval" : "box";
  const wrapped = wrapLabel(node.label);
  const tooltip = wrapped === node.label ? "" : `, tooltip=${quote(node.label.replace(/\n/g, " "))}`;
  return `${indent}${quote(node.id)} [label=${quote(wrapped)}${tooltip}, shape=${shape}, style="filled,rounded", fillcolor=${quote(COLOURS[node.kind])}];`;
}

const byTier = (a: string, b: string): number => {
  const ia = TIER_ORDER.indexOf(a);
  const ib = TIER_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
};

export function toDot(model: Model, title: string): string {
  const lines: string[] = [
    `digraph ${quote(title)} {`,
    `  graph [label=${quote(title)}, labelloc=t, fontname="Helvetica", fontsize=16, rankdir=LR, compound=true, newrank=true, nodesep=0.25, ranksep=0.6, pad=0.3];`,
    // Wide margins: a renderer without Helvetica draws a wider sans (DejaVu), which must still fit the box Graphviz measured.
    '  node [fontname="Helvetica", fontsize=10, margin="0.2,0.06"];',
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
    const azs = [...new Set(subnets.map((s) => s.az))].sort();
    // Left to right, Graphviz stacks what it reads first at the bottom: the AZs go in last first.
    for (const az of [...azs].reverse()) {
      open(`AZ ${az}`, "      ", 'style="dashed,rounded"; color="#777777";');
      for (const subnet of subnets.filter((s) => s.az === az).sort((a, b) => byTier(a.tier, b.tier) || (a.id < b.id ? -1 : 1))) {
        // The tier names the box; the subnet's own node (where its routes start) gives the CIDR.
        open(subnet.tier, "        ", `style="rounded,filled"; fillcolor=${subnet.tier === "public" ? '"#eef7ee"' : '"#fdfdf5"'}; color="#999999"; fontsize=12;`);
        lines.push(nodeLine({ id: subnet.id, label: `subnet\n${subnet.cidr}`, kind: "subnet" }, "          "));
        for (const n of [...subnet.nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(n, "          "));
        lines.push("        }");
      }
      lines.push("      }");
    }
    // A grid: one row per AZ, in order, one column per tier. Each tier's subnets share a rank, and
    // invisible edges order them (a before b before c) and keep each AZ's tiers in one row; left to
    // itself, Graphviz orders clusters to shorten edges, which put us-east-1c first.
    const tiers = [...new Set(subnets.map((s) => s.tier))].sort(byTier);
    for (const tier of tiers) {
      const column = azs.map((az) => subnets.find((s) => s.az === az && s.tier === tier)).filter((s): s is Subnet => s !== undefined);
      lines.push(`    { rank=same; ${column.map((s) => quote(s.id)).join("; ")}; }`);
      for (let i = 1; i < column.length; i++) lines.push(`    ${quote(column[i - 1].id)} -> ${quote(column[i].id)} [style=invis];`);
    }
    for (const az of azs) {
      const row = tiers.map((tier) => subnets.find((s) => s.az === az && s.tier === tier)).filter((s): s is Subnet => s !== undefined);
      for (let i = 1; i < row.length; i++) lines.push(`    ${quote(row[i - 1].id)} -> ${quote(row[i].id)} [style=invis, weight=10];`);
    }
    lines.push("    }");
  }
  const groups = [...model.beside.keys()].filter((g) => g !== "Internet").sort();
  for (const group of groups) {
    open(group, "    ", 'style="rounded"; color="#aaaaaa";');
    for (const n of [...model.beside.get(group)!].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(n, "      "));
    lines.push("    }");
  }
  // Each group as a block of columns, GROUP_ROWS deep, rather than one tall stack: node i comes
  // one column before node i + GROUP_ROWS.
  for (const group of groups) {
    const nodes = [...model.beside.get(group)!].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = GROUP_ROWS; i < nodes.length; i++) lines.push(`    ${quote(nodes[i - GROUP_ROWS].id)} -> ${quote(nodes[i].id)} [style=invis];`);
  }
  const drawn = model.vpcs.length + [...model.beside.values()].reduce((n, list) => n + list.length, 0);
  if (drawn === 0) lines.push(`    "(nothing drawn)" [label="No resource of a drawn type\\n(networks, compute, data, edge, messaging)", shape=plaintext];`);
  lines.push("  }");
  for (const n of model.beside.get("Internet") ?? []) lines.push(nodeLine(n, "  "));
  // Routes do not shape the layout: a NAT gateway stays beside its public subnet, not after every subnet routed to it.
  const styles = { traffic: 'color="#3973ac"', request: 'color="#2e7d32", penwidth=1.5', route: 'color="#888888", style=dashed, constraint=false' };
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

/**
 * The SVG as a PNG, rendered in-process by resvg (@resvg/resvg-js, Rust's
 * resvg through napi): for a README or a pull-request comment, which do not
 * show SVG files from a branch. Text uses DejaVu Sans where the machine has
 * it, the box widths allow for it, and the same machine gives the same bytes.
 */
export async function toPng(svg: string, zoom = 2): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const image = new Resvg(svg, {
    // Twice the SVG's own size: sharp on a high-density screen, and a small stack stays small.
    fitTo: { mode: "zoom", value: zoom },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  }).render();
  return image.asPng();
}
