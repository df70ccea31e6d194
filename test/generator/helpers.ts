// Test helpers: generate an enhanced version for a function in a temp workspace, the way the
// service does (parse → resolveConfig with the domain context → generator), and run python3.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveConfig, type PoetConfigInput } from '../../shared/config';
import { parseSource } from '../../shared/source/parse';
import type { FunctionModel, Language } from '../../shared/source/model';
import { domainConfigContext } from '../../server/generator/domains/index';
import { generatorFor } from '../../server/generator/registry';
import type { GenerateResult } from '../../server/generator/types';
import { danaRuntimeFiles } from '../../server/generator/runtime-files';

/** The Dana runtime's Python helper file, relative to `.dana/poet/`. */
export function danaHelperPath(): string {
  return danaRuntimeFiles().files.find((f) => f.path.endsWith('.py') && f.path.includes('/dana/'))!.path;
}

/** python3 lines that load the Dana runtime's helper from `file` as module `h`, as Dana's loader does. */
export function loadDanaHelper(file: string): string {
  return [
    'import importlib.util',
    `spec = importlib.util.spec_from_file_location("h", ${JSON.stringify(file)})`,
    'h = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(h)',
  ].join('\n');
}

export function tempWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'poet-gen-'));
}

export function write(ws: string, rel: string, text: string): string {
  const p = join(ws, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

export function functionIn(text: string, language: Language, name?: string): FunctionModel {
  const parsed = parseSource(text, language);
  const fn = name ? parsed.functions.find((f) => f.name === name) : parsed.functions[0];
  if (!fn) throw new Error(`no function ${name ?? ''} in ${JSON.stringify(parsed.errors)}`);
  return fn;
}

/** Decorator kwargs of the function overlaid by `config`, resolved like the service does. */
export async function generate(opts: {
  ws: string;
  file: string | null;
  text: string;
  language: Language;
  name?: string;
  config?: PoetConfigInput;
  version?: string;
  key?: string;
}): Promise<GenerateResult> {
  const fn = functionIn(opts.text, opts.language, opts.name);
  const poetDecorator = fn.decorators.find((d) => d.name === 'poet');
  const r = resolveConfig([poetDecorator?.kwargs ?? {}, opts.config ?? {}], domainConfigContext(opts.ws));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return generatorFor(opts.language).generate({
    fn,
    fileText: opts.text,
    sourceFile: opts.file,
    key: opts.key ?? fn.name,
    config: r.config,
    version: opts.version ?? 'v1',
    sourceHash: 'sha256:' + '0'.repeat(64),
    workspace: opts.ws,
  });
}

/** Writes enhanced.py where the service would (.dana/poet/functions/KEY/vN/), with its runtime. */
export function install(ws: string, key: string, version: string, result: GenerateResult): string {
  for (const r of result.runtime) write(ws, `.dana/poet/${r.path}`, r.text);
  return write(ws, `.dana/poet/functions/${key}/${version}/${result.fileName}`, result.code);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function python(ws: string, script: string, env: Record<string, string> = {}, extraPath: string[] = []): Promise<RunResult> {
  const path = write(ws, `_run_${Math.random().toString(36).slice(2)}.py`, script);
  return new Promise((resolve) => {
    execFile(
      'python3',
      [path],
      { cwd: ws, timeout: 60_000, env: { ...process.env, POET_API_URL: '', ...env, PYTHONPATH: [ws, ...extraPath].join(':'), PYTHONDONTWRITEBYTECODE: '1' } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Imports enhanced.py of KEY/vN as module `e` and runs `body`. */
export function enhancedScript(key: string, version: string, body: string): string {
  return [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("enhanced", ".dana/poet/functions/${key}/${version}/enhanced.py")`,
    'e = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(e)',
    'def out(*a):',
    '    print(json.dumps(a if len(a) > 1 else a[0]))',
    'def err(f, *args, **kw):',
    '    try:',
    '        r = f(*args, **kw)',
    '        print(json.dumps({"ok": r}))',
    '    except Exception as x:',
    '        print(json.dumps({"error": type(x).__name__, "message": str(x), "phase": getattr(x, "phase", None)}))',
    body,
  ].join('\n');
}

export function lines(r: RunResult): unknown[] {
  if (r.code !== 0) throw new Error(`python3 exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export const PYTHON_PKG = join(__dirname, '..', '..', 'python');

/**
 * Writes `text` to `file` in `ws` and enhances every @poet function in it through the service's
 * own pipeline (as `poet enhance FILE` does), so metadata.json and the runtime file are real.
 */
export async function enhanceModule(ws: string, file: string, text: string, config: PoetConfigInput = {}): Promise<void> {
  write(ws, file, text);
  const { FileStore } = await import('../../server/storage/file-store');
  const { createPipeline } = await import('../../server/service/generators');
  const { createLogger } = await import('../../server/service/logger');
  const pipeline = createPipeline(new FileStore(ws), createLogger('silent'));
  for (const fn of parseSource(text, 'python').functions) {
    if (!fn.decorators.some((d) => d.name === 'poet' || d.name.endsWith('.poet'))) continue;
    await pipeline.enhance({ code: text, language: 'python', functionName: fn.name, config, contextFile: file });
  }
}

/** Runs `script` with the workspace and the `poet` package (the runtime hook) importable. */
export function withHook(ws: string, script: string, env: Record<string, string> = {}): Promise<RunResult> {
  return python(ws, script, env, [PYTHON_PKG]);
}

/** A temp workspace with `file`, and version v1 of one of its functions installed. */
export async function setup(file: string, text: string, config: PoetConfigInput = {}, name?: string) {
  const ws = tempWorkspace();
  write(ws, file, text);
  const result = await generate({ ws, file, text, language: 'python', config, name });
  const fn = name ?? /def (\w+)/.exec(text)![1]!;
  install(ws, fn, 'v1', result);
  return { ws, fn, result };
}
