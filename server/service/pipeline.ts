// The transpile pipeline, shared by POST /poet/transpile, `poet enhance` and Train:
// parse → pick the function → effective config → source hash → cache hit, or (under the
// function's lock) generate, write version vN completely, point `current` at it, cache it.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { FieldIssue, TranspileResponse, VersionMetadata, VersionReason } from '../../shared/contract/api';
import { PoetError } from '../../shared/contract/errors';
import { canonicalJson, resolveConfig, type ConfigContext, type PoetConfig } from '../../shared/config';
import { functionLinesHash, functionTextHash, sourceHash } from '../../shared/source/hash';
import { languageOfPath, type FunctionModel, type Language, type ParsedFile } from '../../shared/source/model';
import { textWithoutPoetDecorator } from '../../shared/source/locate';
import { workspaceRelative } from '../../shared/workspace-paths';
import { BUILTIN_DOMAINS } from '../generator/domains/index';
import { danaRuntimeFiles, pythonRuntimeFile } from '../generator/runtime-files';
import type { Generator } from '../generator/types';
import { versionFilePath } from '../storage/paths';
import type { CacheEntry, PoetStore } from '../storage/store';
import { BoundedMemo } from '../memo';
import { cpythonAccepts } from './cpython-check';
import { SourceParser } from './parser';
import { decoratorConfig, selectFunction } from './select';

export interface EnhanceInput {
  /** The function's source, or a whole file's. */
  code: string;
  /** Default: from `contextFile`'s extension, else dana. */
  language?: Language;
  /** Required when `code` defines several functions. */
  functionName?: string;
  /** Storage key (module-qualified) instead of the function name; see docs/service.md. */
  key?: string;
  /** Overlaid on the function's own @poet(...) arguments. */
  config?: Record<string, unknown>;
  /** Workspace-relative (or absolute, inside the workspace) path of the source file. */
  contextFile?: string | null;
  /** Generate a new version even on a cache hit. */
  force?: boolean;
  /** Overrides the computed reason (Train passes `trained`). */
  reason?: VersionReason;
  /** Merged into metadata.json (Train passes `changes`, `evidence`); core fields win. */
  extraMetadata?: Record<string, unknown>;
  /** Point `current` at a new version (default true; Train with manual promotion passes false). */
  makeCurrent?: boolean;
}

/** What a request enhances, resolved from it (see EnhancePipeline.target). */
interface Target {
  fn: ParsedFile['functions'][number];
  key: string;
  config: PoetConfig;
  generator: Generator;
  domainPrint: string | null;
  hash: string;
  /** Accepted but worth saying: a domain name POET does not know (see resolveConfig). */
  warnings: FieldIssue[];
}

export interface PipelineOptions {
  generatorFor: (language: Language) => Generator;
  configContext: ConfigContext;
}

/** Memo bounds: entries, and characters of source text kept (≈ 25 MB of parse trees at most). */
const MEMO_ENTRIES = 256;
const MEMO_CHARS = 1024 * 1024;
const BUILTIN_DOMAIN_NAMES = new Set(BUILTIN_DOMAINS.map((d) => d.name));
/** True when the domain (possibly `parent:child`) needs no user file from .dana/poet/domains. */
const builtinOrNone = (domain: string | null) => !domain || domain.split(':').every((d) => BUILTIN_DOMAIN_NAMES.has(d.trim()));

const suggestionOf = (message: string) => /Did you mean "([^"]+)"/.exec(message)?.[1];

/** A module-qualified key from a workspace-relative file: `src/billing.py` + `total` → `src.billing.total`. */
export function suggestKey(sourceFile: string, name: string): string {
  const parts = sourceFile
    .replace(/\.(na|py)$/, '')
    .split('/')
    .filter((p) => p && p !== '.')
    .map((p) => {
      const s = p.replace(/[^A-Za-z0-9_]/g, '_');
      return /^[0-9]/.test(s) ? `_${s}` : s;
    });
  return [...parts, name].join('.').slice(-200).replace(/^[^A-Za-z_]+/, '');
}

export class EnhancePipeline {
  constructor(
    readonly store: PoetStore,
    private readonly logger: Logger,
    private readonly options: PipelineOptions,
  ) {}

  /**
   * Parsed texts, for the same code sent again with another config (a miss of the `target`
   * memo below). ParsedFile is treated as immutable everywhere, so sharing it is safe.
   */
  private readonly parsed = new BoundedMemo<ParsedFile>(MEMO_ENTRIES, MEMO_CHARS);
  /** Parses in flight, so that the same big text sent twice at once is parsed once. */
  private readonly parsing = new Map<string, Promise<ParsedFile>>();
  private readonly parser = new SourceParser();
  private async parse(code: string, language: Language): Promise<ParsedFile> {
    const id = createHash('sha256').update(language).update('\0').update(code).digest('base64');
    const hit = this.parsed.get(id) ?? this.parsing.get(id);
    if (hit) return hit;
    const p = this.parser.parse(code, language).finally(() => this.parsing.delete(id));
    this.parsing.set(id, p);
    const fresh = await p;
    this.parsed.set(id, fresh, code.length);
    return fresh;
  }

  /** The parser's state, for /poet/health. */
  parserStatus(): ReturnType<SourceParser['status']> {
    return this.parser.status();
  }

  /** Stops the parser's worker thread, if one runs. */
  close(): Promise<void> {
    return this.parser.close();
  }

  /**
   * What a request enhances: the function, its storage key, effective config, generator and
   * source hash. A repeated request (the extension on every save, a script in a loop) gets
   * its earlier answer from a small memo instead of parsing, resolving and hashing again:
   * that was half of a cache hit's own CPU time. Only answers that depend on nothing but the
   * request are kept; a user-defined domain is read from disk, so those are always recomputed.
   */
  private readonly targets = new BoundedMemo<Target>(MEMO_ENTRIES, MEMO_CHARS);
  private async target(input: EnhanceInput, sourceFile: string | null, language: Language, cpythonCompiles = false): Promise<Target> {
    const memoKey = JSON.stringify([language, input.functionName, input.key, sourceFile, input.config, input.code]);
    const known = this.targets.get(memoKey);
    if (known) return known;

    const parsed = await this.parse(input.code, language);
    const target = input.functionName ? parsed.functions.find((f) => f.name === input.functionName) : undefined;
    const outside = (e: { line: number }) => target !== undefined && (e.line < target.start_line || e.line > target.end_line);
    // CPython compiles the file and POET's parser stumbled elsewhere: the function itself was read right.
    if (parsed.errors.length && !(cpythonCompiles && parsed.errors.every(outside))) {
      const first = parsed.errors[0]!;
      // The enhanced code is loaded after (Dana) or imports (Python) the whole original file, so an
      // error anywhere in it matters; say so when it lies outside the function being enhanced.
      const where = target && outside(first) ? ` This is outside ${target.name}, but the enhanced code loads the whole file, so fix it first.` : '';
      throw new PoetError('syntax_error', `The ${language} code does not parse: line ${first.line}, column ${first.column}: ${first.message.replace(/\.$/, '')}.${where}`, {
        line: first.line,
        column: first.column,
        message: first.message,
        errors: parsed.errors.map((e) => ({ line: e.line, column: e.column, message: e.message })),
      });
    }
    const fn = selectFunction(parsed, input.functionName);
    const key = input.key ?? fn.name;

    const { config, warnings } = this.effectiveConfig(fn, input.config ?? {});
    const generator = this.options.generatorFor(language);
    // A user-defined domain is data the generator reads: its files are part of the hash, so
    // editing .dana/poet/domains/NAME.json regenerates instead of serving stale rules.
    const domainPrint = this.userDomainFingerprint(config.domain);
    const hash = sourceHash({ source: fn.source, config, language, generatorVersion: generator.version + (domainPrint ? `+${domainPrint}` : '') });
    const t: Target = { fn, key, config, generator, domainPrint, hash, warnings };
    if (builtinOrNone(config.domain)) this.targets.set(memoKey, t, memoKey.length);
    return t;
  }

  /** Which generator serves each language, or why none does. */
  generatorStatus(): { ok: boolean; message?: string; languages: Record<string, { name: string; version: string }> } {
    const languages: Record<string, { name: string; version: string }> = {};
    const problems: string[] = [];
    for (const lang of ['dana', 'python'] as const) {
      try {
        const g = this.options.generatorFor(lang);
        languages[lang] = { name: g.name, version: g.version };
      } catch (e) {
        problems.push(`${lang}: ${(e as Error).message}`);
      }
    }
    return { ok: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}), languages };
  }

  /** Workspace-relative POSIX form of the request's file, checked to stay inside the workspace. */
  private sourceFileOf(file: string | null | undefined): string | null {
    if (!file) return null;
    const ws = this.store.paths.workspace;
    const rel = file.includes('\0') ? undefined : workspaceRelative(ws, file.replace(/\\/g, '/'));
    if (rel === undefined) {
      throw new PoetError('invalid_request', `context.file "${file}" is not a file inside the workspace ${ws}.`, [
        { field: 'context.file', message: 'must be a workspace-relative path inside the workspace' },
      ]);
    }
    return rel;
  }

  async enhance(input: EnhanceInput): Promise<TranspileResponse> {
    // Domains another process's Train wrote (PostgreSQL store) are read from the workspace.
    await this.store.syncDomains();
    const sourceFile = this.sourceFileOf(input.contextFile);
    const language: Language = input.language ?? (sourceFile ? languageOfPath(sourceFile) : null) ?? 'dana';

    const cpythonCompiles = language === 'python' && (await this.parse(input.code, language)).errors.length > 0 && (await cpythonAccepts(input.code)) === true;
    const { fn, key, config, generator, domainPrint, hash, warnings } = await this.target(input, sourceFile, language, cpythonCompiles);
    const sameOrigin = (e: CacheEntry) => !sourceFile || !e.metadata.source_file || e.metadata.source_file === sourceFile;
    if (!input.force) {
      const hit = await this.store.readCache(key, hash);
      if (hit && sameOrigin(hit)) return this.hitResponse(key, hit, language, warnings);
    }

    return this.store.withFunctionLock(key, async () => {
      // Someone may have generated this exact input while we waited for the lock.
      if (!input.force) {
        const hit = await this.store.readCache(key, hash);
        if (hit && sameOrigin(hit)) return this.hitResponse(key, hit, language, warnings);
      }
      const index = await this.store.readIndex(key);
      if (index && (index.name !== fn.name || (sourceFile && index.source_file && index.source_file !== sourceFile))) {
        const suggested = sourceFile ? suggestKey(sourceFile, fn.name) : `${fn.name}_2`;
        throw new PoetError(
          'conflict',
          index.name !== fn.name
            ? `Key "${key}" already holds the history of function "${index.name}"${index.source_file ? ` from ${index.source_file}` : ''}; pass another "key", e.g. "${suggested}".`
            : `Function "${fn.name}" already has a history from ${index.source_file}; ${sourceFile} defines another function of that name. Pass "key": "${suggested}" to keep a separate history.`,
          { key, existing_source_file: index.source_file, source_file: sourceFile, suggested_key: suggested },
        );
      }

      // Code sent without a file continues the history of the file it already has.
      const recordedFile = sourceFile ?? index?.source_file ?? null;
      const versions = await this.store.listVersions(key);
      const parentVersion = (await this.store.readCurrent(key)) ?? versions[versions.length - 1] ?? null;
      const parent = parentVersion ? await this.store.readMetadata(key, parentVersion) : undefined;
      const last = versions[versions.length - 1];
      const version = `v${last ? Number(last.slice(1)) + 1 : 1}`;
      const fnHash = functionTextHash(fn.source);
      const { reason, detail } = input.reason
        ? { reason: input.reason, detail: undefined }
        : await this.reasonFor(parent, fn, fnHash, config, generator, input.force ?? false, domainPrint);

      const result = await generator.generate({ fn, fileText: input.code, sourceFile: recordedFile, key, config, version, sourceHash: hash, workspace: this.store.paths.workspace });
      const ext = language === 'python' ? 'py' : 'na';
      const fileNames = [result.fileName, ...(result.trainCode !== null ? [`train.${ext}`] : []), 'metadata.json'];
      const metadata: VersionMetadata = {
        ...(input.extraMetadata ?? {}),
        function_name: fn.name,
        key,
        version,
        language,
        source_file: recordedFile,
        source_hash: hash,
        function_hash: fnHash,
        ...(language === 'python' ? { function_lines: functionLinesHash(input.code, fn) } : {}),
        config: config as unknown as Record<string, unknown>,
        domain: config.domain,
        phases: result.phases,
        generator: { name: generator.name, version: generator.version },
        created_at: new Date().toISOString(),
        parent_version: parent ? parentVersion : null,
        reason,
        ...(detail ? { reason_detail: detail } : {}),
        original_source: fn.source,
        ...(domainPrint ? { domain_fingerprint: domainPrint } : {}),
        files: fileNames.map((n) => versionFilePath(key, version, n)),
        generator_metadata: result.metadata,
      };
      const makeCurrent = input.makeCurrent ?? true;
      const entry: CacheEntry = {
        source_hash: hash,
        key,
        function_name: fn.name,
        version,
        generator: metadata.generator,
        created_at: metadata.created_at,
        file_name: result.fileName,
        code: result.code,
        train_code: result.trainCode,
        metadata,
      };
      await this.store.publishVersion(
        key,
        version,
        [{ name: result.fileName, data: result.code }, ...(result.trainCode !== null ? [{ name: `train.${ext}`, data: result.trainCode }] : [])],
        metadata,
        { makeCurrent, cache: entry, runtime: result.runtime },
      );
      this.logger.info({ key, version, reason, source_hash: hash }, 'new version');
      return this.response(key, entry, { created: true, cached: false, current: makeCurrent }, warnings);
    });
  }

  /**
   * Hash of the user domain files (`.dana/poet/domains/*.json`) when the effective domain is
   * not purely built-in, else null. All files are hashed, since one may extend another.
   */
  private userDomainFingerprint(domain: string | null): string | null {
    if (builtinOrNone(domain)) return null;
    const dir = this.store.local.checkLinks(resolve(this.store.paths.root, 'domains'));
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return null;
    }
    const h = createHash('sha256');
    for (const n of names) {
      h.update(n).update('\0');
      // A linked domain file is refused here, before the generator would read it.
      let text: string | undefined;
      try {
        text = this.store.local.readText(resolve(dir, n), true);
      } catch (e) {
        if (e instanceof PoetError) throw e;
      }
      h.update(text ?? 'unreadable').update('\0');
    }
    return h.digest('hex').slice(0, 16);
  }

  /** Function's @poet(...) arguments overlaid by the request's config; 400 naming each bad key. */
  private effectiveConfig(fn: Parameters<typeof decoratorConfig>[0], requestConfig: Record<string, unknown>): { config: PoetConfig; warnings: FieldIssue[] } {
    const { layer, issues } = decoratorConfig(fn);
    const r = resolveConfig([layer, requestConfig], this.options.configContext);
    const all: FieldIssue[] = [...issues];
    if (!r.ok) {
      for (const i of r.issues) {
        const top = i.key.split('.')[0]!;
        const field = top in requestConfig ? `config.${i.key}` : top in layer ? `@poet.${i.key}` : `config.${i.key}`;
        const suggestion = i.suggestion ?? suggestionOf(i.message);
        all.push({ field, message: i.message, ...(suggestion ? { suggestion } : {}) });
      }
    }
    if (all.length || !r.ok) {
      throw new PoetError('invalid_request', `Invalid POET config: ${all.map((i) => i.message).join(' ')}`, all);
    }
    const warnings = r.warnings.map((w) => ({ field: 'domain' in requestConfig ? `config.${w.key}` : `@poet.${w.key}`, message: w.message, ...(w.suggestion ? { suggestion: w.suggestion } : {}) }));
    return { config: r.config, warnings };
  }

  private async reasonFor(
    parent: VersionMetadata | undefined,
    fn: FunctionModel,
    fnHash: string,
    config: PoetConfig,
    generator: Generator,
    forced: boolean,
    domainPrint: string | null,
  ): Promise<{ reason: VersionReason; detail?: string }> {
    if (!parent) return { reason: 'initial' };
    const textChanged = parent.function_hash !== fnHash;
    // The function hash covers the decorator, so `retries=2` → `3` changes it too: only a
    // change outside `@poet(...)` is a source change.
    if (textChanged && !(await this.sameButForPoetDecorator(parent, fn))) return { reason: 'source_changed' };
    const before = parent.config;
    const changed = Object.keys({ ...before, ...config }).filter(
      (k) => canonicalJson(before[k]) !== canonicalJson((config as unknown as Record<string, unknown>)[k]),
    );
    if (changed.length) return { reason: 'config_changed', detail: `config changed: ${changed.sort().join(', ')}` };
    if (textChanged) return { reason: 'source_changed', detail: 'the @poet(...) arguments were rewritten to the same config' };
    if (parent.generator.version !== generator.version || parent.generator.name !== generator.name) {
      return { reason: 'manual', detail: `generator ${parent.generator.name} ${parent.generator.version} → ${generator.name} ${generator.version}` };
    }
    if ((parent.domain_fingerprint ?? null) !== domainPrint) return { reason: 'manual', detail: `domain definition changed (.dana/poet/domains)` };
    return { reason: 'manual', detail: forced ? 'forced regeneration' : 'regenerated after the cache was dropped' };
  }

  /** True when the parent's function text and `fn`'s differ at most in the `@poet(...)` decorator. */
  private async sameButForPoetDecorator(parent: VersionMetadata, fn: FunctionModel): Promise<boolean> {
    // The label must never fail the request: a text that cannot be parsed is a source change.
    const parsed = await this.parse(parent.original_source, parent.language).catch(() => undefined);
    const before = parsed?.functions.find((f) => f.name === fn.name && f.parents.length === 0);
    return before !== undefined && textWithoutPoetDecorator(before) === textWithoutPoetDecorator(fn);
  }

  /**
   * Hit responses per cache entry (the store memoises entries, so repeated hits share one) and
   * `current` flag. They are frozen and reused, which lets the HTTP layer reuse their serialised
   * body too: JSON.stringify of the ~60 KB response was the largest cost of a hit.
   */
  private readonly hits = new WeakMap<CacheEntry, { current?: TranspileResponse; other?: TranspileResponse }>();

  private async hitResponse(key: string, entry: CacheEntry, language: Language, warnings: FieldIssue[]): Promise<TranspileResponse> {
    // A version imports its runtime files; put them back if someone deleted .dana/poet/runtime.
    const runtime = language === 'python' ? [pythonRuntimeFile()] : danaRuntimeFiles().files;
    if (entry.metadata.generator_metadata?.runtime === `.dana/poet/${runtime[0]!.path}`) {
      void this.store.restoreRuntime(runtime).catch((e: Error) => this.logger.warn({ err: e.message }, 'could not restore the runtime files'));
    }
    const current = (await this.store.readCurrent(key)) === entry.version;
    let byFlag = this.hits.get(entry);
    if (!byFlag) this.hits.set(entry, (byFlag = {}));
    const slot = current ? 'current' : 'other';
    // Rare (an unknown domain), and named after where the request put it: not memoised.
    if (warnings.length) return Object.freeze(this.response(key, entry, { created: false, cached: true, current }, warnings));
    return (byFlag[slot] ??= Object.freeze(this.response(key, entry, { created: false, cached: true, current }, warnings)));
  }

  private response(key: string, e: CacheEntry, flags: { created: boolean; cached: boolean; current: boolean }, warnings: FieldIssue[]): TranspileResponse {
    const file = versionFilePath(key, e.version, e.file_name);
    return {
      function_name: e.function_name,
      key,
      version: e.version,
      ...flags,
      source_hash: e.source_hash,
      language: e.metadata.language,
      source_file: e.metadata.source_file,
      poet_implementation: { code: e.code, enhanced_code: e.code, train_code: e.train_code, language: e.metadata.language, file },
      metadata: e.metadata,
      ...(warnings.length ? { warnings } : {}),
    };
  }
}
