import * as fs from "node:fs";
import * as path from "node:path";

// cdktf's Testing helpers create temporary folders under os.tmpdir(): keep
// them inside the project's ignored work folder, not in the machine's /tmp.
const dir = path.resolve(__dirname, "..", "..", ".keel", "tmp");
fs.mkdirSync(dir, { recursive: true });
process.env.TMPDIR = dir;
