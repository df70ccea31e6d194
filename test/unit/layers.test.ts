// The import graph of the product code (shared/, server/, extension/): the layers point one
// way (extension and server build on shared/; neither imports the other; shared/ imports
// neither) and no file reaches itself through its imports. Read with TypeScript's own
// pre-processor, type-only imports included: a type cycle is still a cycle for a reader.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const LAYERS = ['shared', 'server', 'extension'] as const;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

const graph = new Map<string, string[]>();
for (const layer of LAYERS) {
  for (const f of files(path.join(root, layer))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
    graph.set(f, importedFiles.map((i) => resolveImport(f, i.fileName)).filter((p): p is string => p !== undefined));
  }
}
const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
const layerOf = (p: string) => rel(p).split('/')[0]!;

describe('import graph', () => {
  it('points one way: extension → shared ← server, and shared imports neither', () => {
    const allowed: Record<string, string[]> = { shared: ['shared'], server: ['server', 'shared'], extension: ['extension', 'shared'] };
    const wrong: string[] = [];
    for (const [f, deps] of graph) for (const d of deps) if ((LAYERS as readonly string[]).includes(layerOf(d)) && !allowed[layerOf(f)]!.includes(layerOf(d))) wrong.push(`${rel(f)} → ${rel(d)}`);
    assert.deepEqual(wrong, []);
  });

  it('has no circle', () => {
    // Tarjan's strongly connected components; any component of two or more files is a circle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string): void => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(rel(w));
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    assert.deepEqual(circles, []);
  });
});
