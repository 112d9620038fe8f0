#!/usr/bin/env node
// Import cycles between the TypeScript files of a folder (npm run lint runs it on extension/), as
// `madge --circular` reports them: type-only imports count too, since a cycle of types is still
// two areas that cannot be understood, or changed, one without the other.
//   node scripts/importCycles.mjs extension/src [more folders]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to files. */
function imports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  const re = /^\s*(?:import|export)\s+(?:[\s\S]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
  for (let m; (m = re.exec(text));) {
    const base = resolve(dirname(file), m[1]);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try { if (statSync(candidate).isFile()) { out.push(candidate); break; } } catch { /* next */ }
    }
  }
  return out;
}

const folders = process.argv.slice(2);
if (folders.length === 0) { console.error('usage: node scripts/importCycles.mjs FOLDER...'); process.exit(2); }
const inside = new Set(folders.flatMap((f) => files(resolve(root, f))));
const graph = new Map([...inside].map((f) => [f, imports(f).filter((t) => inside.has(t))]));

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
function connect(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v)) {
    if (!info.has(w)) { connect(w); info.get(v).low = Math.min(info.get(v).low, info.get(w).low); }
    else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do { w = stack.pop(); info.get(w).onStack = false; component.push(w); } while (w !== v);
    if (component.length > 1 || graph.get(v).includes(v)) cycles.push(component.map((f) => relative(root, f)).sort());
  }
}
for (const v of graph.keys()) if (!info.has(v)) connect(v);

if (cycles.length) {
  for (const c of cycles) console.error(`import cycle (${c.length} files): ${c.join(' ')}`);
  process.exit(1);
}
console.log(`no import cycle in ${folders.join(', ')} (${graph.size} files)`);
