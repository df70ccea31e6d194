// The POET HTTP contract: request and response schemas for every service endpoint,
// shared by the service (validation), the extension and CLI (typed clients) and the tests.
// Field names are snake_case on the wire, as in the original API; legacy spellings
// (`function_code`, `enhanced_code`) are accepted or returned next to the new ones.
import { z } from 'zod';
import { PoetConfigInputSchema } from '../config';
import { endpoint, endpointPath } from './endpoint';

// ---------------------------------------------------------------- names

/** A Dana/Python identifier: what a function name must be. */
export const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * A storage key: a function name, or a module-qualified name (`billing.compute`) when two
 * files define the same function name. Dotted identifiers only, so never `..`, `/`, `\` or NUL.
 */
export const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const MAX_NAME_LENGTH = 200;

export const FunctionNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(IDENTIFIER_RE, 'must be a Dana/Python identifier (letters, digits, _; not starting with a digit)');

export const FunctionKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(KEY_RE, 'must be an identifier or dotted identifiers such as "billing.compute"');

/** "v1", "v2", … */
export const VERSION_RE = /^v[1-9][0-9]{0,8}$/;
export const VersionSchema = z.string().regex(VERSION_RE, 'must look like "v1", "v2", …');

export const LanguageSchema = z.enum(['dana', 'python']);

/** Why a version exists. `manual`: forced, or regenerated after the cache was dropped or the generator changed. */
export const VERSION_REASONS = ['initial', 'source_changed', 'config_changed', 'trained', 'manual'] as const;
export const VersionReasonSchema = z.enum(VERSION_REASONS);
export type VersionReason = z.infer<typeof VersionReasonSchema>;

/** `sha256:` + 64 hex digits. */
export const HashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/);

// ---------------------------------------------------------------- errors' details

/** `invalid_request` details: one entry per offending field. */
export const FieldIssueSchema = z.object({
  /** Dotted path, e.g. `config.retrys` or `code`. */
  field: z.string(),
  message: z.string(),
  suggestion: z.string().optional(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** `syntax_error` details: where the first problem is, plus every problem found. */
export const SyntaxErrorDetailsSchema = z.object({
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
  errors: z.array(z.object({ line: z.number().int(), column: z.number().int(), message: z.string() })),
});

/** `conflict` details when a second file defines a function name that already has a history. */
export const KeyConflictDetailsSchema = z.object({
  key: z.string(),
  existing_source_file: z.string().nullable(),
  source_file: z.string().nullable(),
  /** Pass this as `key` in the transpile request to keep a separate history. */
  suggested_key: z.string(),
});

// ---------------------------------------------------------------- health

export const HealthResponseSchema = z.object({
  status: z.literal('ok'),
  service: z.literal('poet'),
  version: z.string(),
  /** Absolute path of the workspace the service writes to. */
  workspace: z.string(),
  uptime_s: z.number(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

export const ComponentStatusSchema = z.object({ ok: z.boolean(), message: z.string().optional() });
export const PoetHealthResponseSchema = HealthResponseSchema.extend({
  components: z.object({
    storage: ComponentStatusSchema,
    generator: ComponentStatusSchema.extend({
      /** Generator name and version per language, when ready. */
      languages: z.record(z.string(), z.object({ name: z.string(), version: z.string() })),
    }),
    /** Texts from `off_loop_from_chars` up are parsed in a worker thread; `in_flight` counts those parses. */
    parser: ComponentStatusSchema.extend({
      worker: z.enum(['running', 'stopped']),
      in_flight: z.number().int(),
      off_loop_from_chars: z.number().int(),
    }),
  }),
});
export type PoetHealthResponse = z.infer<typeof PoetHealthResponseSchema>;

// ---------------------------------------------------------------- transpile

export const TranspileContextSchema = z
  .object({
    /** Workspace-relative path of the file the code comes from (POSIX or native separators). */
    file: z.string().min(1).max(4096).optional(),
  })
  .loose();

/** The wire form. Exactly one of `code` / `function_code` (legacy) is required. */
export const TranspileRequestWireSchema = z
  .object({
    code: z.string().max(1024 * 1024).optional(),
    /** Legacy alias of `code`. */
    function_code: z.string().max(1024 * 1024).optional(),
    language: LanguageSchema.optional(),
    function_name: FunctionNameSchema.optional(),
    /** Storage key to use instead of the function name (see the `conflict` error). */
    key: FunctionKeySchema.optional(),
    config: PoetConfigInputSchema.nullable().optional(),
    context: TranspileContextSchema.nullable().optional(),
    /** Generate a new version even when the cache has this exact input. */
    force: z.boolean().optional(),
  })
  .strict();

export const TranspileRequestSchema = TranspileRequestWireSchema.superRefine((r, ctx) => {
  if (r.code === undefined && r.function_code === undefined) {
    ctx.addIssue({ code: 'custom', path: ['code'], message: 'Required: the function source (or the whole file) in "code".' });
  }
  if (r.code !== undefined && r.function_code !== undefined && r.code !== r.function_code) {
    ctx.addIssue({ code: 'custom', path: ['function_code'], message: 'Give either "code" or its legacy alias "function_code", not two different texts.' });
  }
}).transform((r) => ({
  code: (r.code ?? r.function_code) as string,
  language: r.language,
  function_name: r.function_name,
  key: r.key,
  config: r.config ?? {},
  context: r.context ?? {},
  force: r.force ?? false,
}));
/** What a client sends. */
export type TranspileRequest = z.input<typeof TranspileRequestSchema>;
/** What the service works with after validation (aliases folded, defaults filled). */
export type TranspileParams = z.output<typeof TranspileRequestSchema>;

export const GeneratorInfoSchema = z.object({ name: z.string(), version: z.string() });

/** `metadata.json` of a version. Extra fields (e.g. Train's `changes`, `evidence`) are kept. */
export const VersionMetadataSchema = z
  .object({
    function_name: z.string(),
    key: z.string(),
    version: VersionSchema,
    language: LanguageSchema,
    /** Workspace-relative POSIX path of the source file, or null when the code came without one. */
    source_file: z.string().nullable(),
    source_hash: HashSchema,
    /** Hash of the function's own text (normalised), as the Python runtime hook computes it. */
    function_hash: HashSchema,
    /** Python: the lines the function spans and their hash, which the runtime hook checks at import. */
    function_lines: z.object({ count: z.number().int().min(1), hash: HashSchema }).optional(),
    /** The effective config (all keys). */
    config: z.record(z.string(), z.unknown()),
    domain: z.string().nullable(),
    phases: z.record(z.string(), z.unknown()),
    generator: GeneratorInfoSchema,
    created_at: z.string(),
    parent_version: VersionSchema.nullable(),
    reason: VersionReasonSchema,
    /** A short explanation of the reason, e.g. "config changed: retries". */
    reason_detail: z.string().optional(),
    original_source: z.string(),
    /** Workspace-relative POSIX paths of the files in the version folder. */
    files: z.array(z.string()),
    /** Generator-specific facts (rules taken, LLM provenance, …). */
    generator_metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type VersionMetadata = z.infer<typeof VersionMetadataSchema>;

export const PoetImplementationSchema = z.object({
  code: z.string(),
  /** The same text as `code` (the legacy name). */
  enhanced_code: z.string(),
  train_code: z.string().nullable(),
  language: LanguageSchema,
  /** Workspace-relative POSIX path, e.g. `.dana/poet/functions/NAME/v3/enhanced.na`. */
  file: z.string(),
});

export const TranspileResponseSchema = z.object({
  function_name: z.string(),
  /** Storage key: the function name, or the module-qualified key the request asked for. */
  key: z.string(),
  version: VersionSchema,
  /** True when this request wrote a new version. */
  created: z.boolean(),
  /** True when the version came from the source-hash cache. */
  cached: z.boolean(),
  /** True when this version is now the function's current one. */
  current: z.boolean(),
  source_hash: HashSchema,
  language: LanguageSchema,
  source_file: z.string().nullable(),
  poet_implementation: PoetImplementationSchema,
  metadata: VersionMetadataSchema,
  /** What was accepted but deserves attention, e.g. a domain POET does not know (enhanced with the general rules). */
  warnings: z.array(FieldIssueSchema).optional(),
});
export type TranspileResponse = z.infer<typeof TranspileResponseSchema>;

// ---------------------------------------------------------------- functions

export const FunctionSummarySchema = z.object({
  name: z.string(),
  key: z.string(),
  current_version: VersionSchema.nullable(),
  /** Every version, oldest first. */
  versions: z.array(VersionSchema),
  language: LanguageSchema,
  source_file: z.string().nullable(),
  domain: z.string().nullable(),
  updated_at: z.string(),
});
export type FunctionSummary = z.infer<typeof FunctionSummarySchema>;
export const FunctionListResponseSchema = z.array(FunctionSummarySchema);
export type FunctionListResponse = z.infer<typeof FunctionListResponseSchema>;

export const VersionSummarySchema = z.object({
  version: VersionSchema,
  created_at: z.string(),
  source_hash: HashSchema,
  config: z.record(z.string(), z.unknown()),
  reason: VersionReasonSchema,
  reason_detail: z.string().optional(),
  parent_version: VersionSchema.nullable(),
  /** Workspace-relative POSIX paths. */
  files: z.array(z.string()),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

export const FunctionDetailResponseSchema = z.object({
  name: z.string(),
  key: z.string(),
  current_version: VersionSchema.nullable(),
  language: LanguageSchema,
  source_file: z.string().nullable(),
  domain: z.string().nullable(),
  /** Oldest first. */
  versions: z.array(VersionSummarySchema),
});
export type FunctionDetailResponse = z.infer<typeof FunctionDetailResponseSchema>;

export const VersionDetailResponseSchema = z.object({
  metadata: VersionMetadataSchema,
  enhanced_code: z.string(),
  train_code: z.string().nullable(),
});
export type VersionDetailResponse = z.infer<typeof VersionDetailResponseSchema>;

export const SetCurrentRequestSchema = z.object({ version: VersionSchema }).strict();
export type SetCurrentRequest = z.infer<typeof SetCurrentRequestSchema>;
export const SetCurrentResponseSchema = z.object({
  name: z.string(),
  key: z.string(),
  current_version: VersionSchema,
  previous_version: VersionSchema.nullable(),
});
export type SetCurrentResponse = z.infer<typeof SetCurrentResponseSchema>;

export const CacheDeleteResponseSchema = z.object({
  /** Number of cache entries removed. */
  deleted: z.number().int().min(0),
  /** The function whose cache was dropped, or null for all. */
  key: z.string().nullable(),
});
export type CacheDeleteResponse = z.infer<typeof CacheDeleteResponseSchema>;

// ---------------------------------------------------------------- routes

/** The core endpoints: each declared once (shared/contract/endpoint.ts says what that means). */
export const CoreEndpoints = {
  health: endpoint('GET', '/health', { auth: false, response: HealthResponseSchema }),
  poetHealth: endpoint('GET', '/poet/health', { response: PoetHealthResponseSchema }),
  transpile: endpoint('POST', '/poet/transpile', { request: TranspileRequestSchema, response: TranspileResponseSchema }),
  functions: endpoint('GET', '/poet/functions', { response: FunctionListResponseSchema }),
  function: endpoint('GET', '/poet/functions/:name', { response: FunctionDetailResponseSchema }),
  version: endpoint('GET', '/poet/functions/:name/versions/:version', { response: VersionDetailResponseSchema }),
  current: endpoint('PUT', '/poet/functions/:name/current', { request: SetCurrentRequestSchema, response: SetCurrentResponseSchema }),
  cache: endpoint('DELETE', '/poet/cache', { response: CacheDeleteResponseSchema }),
  functionCache: endpoint('DELETE', '/poet/cache/:name', { response: CacheDeleteResponseSchema }),
};

/** URL paths of the core endpoints, built from their declarations. */
export const apiPaths = {
  health: () => endpointPath(CoreEndpoints.health),
  poetHealth: () => endpointPath(CoreEndpoints.poetHealth),
  transpile: () => endpointPath(CoreEndpoints.transpile),
  functions: () => endpointPath(CoreEndpoints.functions),
  function: (key: string) => endpointPath(CoreEndpoints.function, { name: key }),
  version: (key: string, version: string) => endpointPath(CoreEndpoints.version, { name: key, version }),
  current: (key: string) => endpointPath(CoreEndpoints.current, { name: key }),
  cache: () => endpointPath(CoreEndpoints.cache),
  functionCache: (key: string) => endpointPath(CoreEndpoints.functionCache, { name: key }),
} as const;

/** Service defaults. */
export const DEFAULT_PORT = 12345;
export const DEFAULT_HOST = '127.0.0.1';
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deepest nesting of arrays and objects a request body may have (400 beyond). */
export const MAX_JSON_DEPTH = 64;
export const TOKEN_ENV = 'POET_API_KEY';
