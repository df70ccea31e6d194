// The learning loop's contract: executions, feedback, its analysis, Train and metrics.
// One set of zod schemas for the service (validation), the generated code's reporter,
// the extension (feedback/train/metrics commands) and the tests.
import { z } from 'zod';
import { FunctionKeySchema, VersionSchema } from './api';
import { endpoint, endpointPath } from './endpoint';

// Executions and feedback name a function by its storage key (a name, or `module.name`): their
// `function_name` fields are FunctionKeySchema, not api.ts's FunctionNameSchema (an identifier).
export { VersionSchema };
/** Ids minted by the service; also safe as a path segment. */
export const RecordIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be an id returned by the service (letters, digits, _ and -)');

// ---------------------------------------------------------------- executions

/**
 * Where a failure happened. Known values: perceive (input rejected), operate (the function
 * raised), timeout (an attempt exceeded `timeout`), enforce (output rejected), fallback,
 * internal. Other short strings are accepted and counted as operate failures.
 */
export const KNOWN_PHASES = ['perceive', 'operate', 'timeout', 'enforce', 'fallback', 'internal'] as const;
export const ExecutionErrorSchema = z.object({
  type: z.string().min(1).max(200),
  message: z.string().max(20_000),
  phase: z.string().min(1).max(40),
});
export type ExecutionError = z.infer<typeof ExecutionErrorSchema>;

/** One attempt inside a call (optional; lets Train see per-attempt durations and timeouts). */
export const AttemptSchema = z.object({
  duration_ms: z.number().min(0),
  outcome: z.enum(['ok', 'error', 'timeout']),
  error_type: z.string().max(200).optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const ExecutionRequestSchema = z
  .object({
    function_name: FunctionKeySchema,
    version: VersionSchema,
    inputs: z.unknown(),
    output: z.unknown().optional(),
    error: ExecutionErrorSchema.optional(),
    duration_ms: z.number().min(0).max(86_400_000 * 7),
    /** Total attempts made (1 = no retry). */
    attempts: z.number().int().min(1).max(1000),
    started_at: z.iso.datetime({ offset: true }),
    context: z.record(z.string(), z.unknown()).optional(),
    attempt_log: z.array(AttemptSchema).max(1000).optional(),
    fallback_used: z.boolean().optional(),
    /** What the wrapper decided and why, e.g. "not retried: argument 'rows' is one-shot (...)". */
    notes: z.array(z.string().max(500)).max(20).optional(),
    /**
     * How many calls this record stands for, when the reporter samples (default 1): 1/rate for a
     * sampled success, 1 for a failure (always sent), 0 for a call sent only because its id was
     * asked for (the sampled ones already count it). Metrics and Train weigh records by it.
     */
    weight: z.number().min(0).max(1_000_000).optional(),
  })
  .refine((r) => !(r.error && r.output !== undefined), {
    message: 'give either output (success) or error (failure), not both',
    path: ['output'],
  });
export type ExecutionRequest = z.infer<typeof ExecutionRequestSchema>;

/** Records one `POST /poet/executions` may carry as an array (and the body stays within 1 MiB). */
export const MAX_EXECUTION_BATCH = 1000;

/** `POST /poet/executions` with an array: a batch, stored whole or not at all. */
export const ExecutionBatchSchema = z
  .array(ExecutionRequestSchema)
  .min(1, 'send at least one record')
  .max(MAX_EXECUTION_BATCH, `at most ${MAX_EXECUTION_BATCH} records per request; send the rest in another request`);

export const ExecutionResponseSchema = z.object({ execution_id: RecordIdSchema });
export type ExecutionResponse = z.infer<typeof ExecutionResponseSchema>;
/** The answer to a batch: one id per record, in the order sent. */
export const ExecutionBatchResponseSchema = z.object({ execution_ids: z.array(RecordIdSchema) });
export type ExecutionBatchResponse = z.infer<typeof ExecutionBatchResponseSchema>;

export const TruncationSchema = z.object({
  truncated: z.boolean(),
  original_bytes: z.number().int().min(0),
  limit_bytes: z.number().int().min(0),
});
export type Truncation = z.infer<typeof TruncationSchema>;

/** `.dana/poet/executions/{id}/context.json` */
export const ExecutionContextFileSchema = z.object({
  execution_id: RecordIdSchema,
  function_name: FunctionKeySchema,
  version: VersionSchema,
  inputs: z.unknown(),
  inputs_truncation: TruncationSchema,
  context: z.record(z.string(), z.unknown()).nullable(),
  started_at: z.string(),
  recorded_at: z.string(),
});
export type ExecutionContextFile = z.infer<typeof ExecutionContextFileSchema>;

/** `.dana/poet/executions/{id}/result.json` */
export const ExecutionResultFileSchema = z.object({
  execution_id: RecordIdSchema,
  status: z.enum(['success', 'error']),
  output: z.unknown().optional(),
  output_truncation: TruncationSchema.optional(),
  error: ExecutionErrorSchema.optional(),
  duration_ms: z.number(),
  attempts: z.number().int(),
  attempt_log: z.array(AttemptSchema).optional(),
  fallback_used: z.boolean().optional(),
  notes: z.array(z.string()).optional(),
  /** Calls this record stands for when the reporter sampled (absent: 1). */
  weight: z.number().optional(),
});
export type ExecutionResultFile = z.infer<typeof ExecutionResultFileSchema>;

/** Both files together: what Train and metrics read. */
export interface ExecutionRecord {
  context: ExecutionContextFile;
  result: ExecutionResultFile;
}

/** `GET /poet/functions/{name}/executions?version=v2&limit=20` */
export const ExecutionListQuerySchema = z
  .object({
    version: VersionSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();

export const ExecutionSummarySchema = z.object({
  execution_id: RecordIdSchema,
  version: VersionSchema,
  started_at: z.string(),
  status: z.enum(['success', 'error']),
  duration_ms: z.number(),
  attempts: z.number().int(),
  error: z.string().optional(),
  inputs_preview: z.string(),
  output_preview: z.string().nullable(),
  feedback_count: z.number().int(),
});
export type ExecutionSummary = z.infer<typeof ExecutionSummarySchema>;
export const ExecutionListSchema = z.object({
  function_name: FunctionKeySchema,
  /** All matching executions; `executions` holds the newest `limit`, newest first. */
  total: z.number().int(),
  executions: z.array(ExecutionSummarySchema),
});
export type ExecutionList = z.infer<typeof ExecutionListSchema>;

/** `GET /poet/executions/{id}` */
export const ExecutionDetailSchema = z.object({
  context: ExecutionContextFileSchema,
  result: ExecutionResultFileSchema,
  feedback: z.array(z.lazy(() => FeedbackRecordSchema)),
});

// ---------------------------------------------------------------- feedback

export const SENTIMENTS = ['positive', 'negative', 'neutral'] as const;
export const SentimentSchema = z.enum(SENTIMENTS);
export type Sentiment = z.infer<typeof SentimentSchema>;
export const FEEDBACK_TYPES = [
  'rating',
  'thumbs',
  'text',
  'structured',
  'correction',
  'performance',
  'accuracy',
  'error',
  'suggestion',
  'usability',
  'general',
] as const;
export const FeedbackTypeSchema = z.enum(FEEDBACK_TYPES);
export const PrioritySchema = z.enum(['high', 'medium', 'low']);

/** Named numeric scales; `custom` is a declared {min,max}. */
export const SCALE_NAMES = ['0-1', '1-5', '0-10', '-1..1', '0-100', 'custom'] as const;
export const ScaleSchema = z.object({
  name: z.enum(SCALE_NAMES),
  min: z.number(),
  max: z.number(),
  source: z.enum(['declared', 'inferred']),
});
export type Scale = z.infer<typeof ScaleSchema>;

/** A scale as a client may declare it: a name ("1-5") or bounds. */
export const DeclaredScaleSchema = z.union([
  z.enum(['0-1', '1-5', '0-10', '-1..1', '0-100']),
  z
    .object({ min: z.number(), max: z.number() })
    .refine((s) => s.max > s.min, { message: 'max must be greater than min' }),
]);

/** Structured feedback; every field optional, unknown fields kept in the raw record. */
export const StructuredFeedbackSchema = z
  .object({
    rating: z.number().optional(),
    scale: DeclaredScaleSchema.optional(),
    comment: z.string().max(20_000).optional(),
    correct: z.boolean().optional(),
    expected: z.unknown().optional(),
    thumbs: z.enum(['up', 'down']).optional(),
    sentiment: SentimentSchema.optional(),
  })
  .loose();

export const FeedbackRequestSchema = z
  .object({
    execution_id: RecordIdSchema,
    function_name: FunctionKeySchema.optional(),
    feedback: z.unknown().optional(),
    /** Legacy name of `feedback` (the original Python client sent this). */
    feedback_payload: z.unknown().optional(),
  })
  .refine((r) => (r.feedback ?? r.feedback_payload) != null, {
    message: 'give the feedback in `feedback` (or the legacy `feedback_payload`): a number, text, "up"/"down", or {rating, scale?, comment?, correct?, expected?}',
    path: ['feedback'],
  });
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

export const AnalysisSchema = z.object({
  sentiment: SentimentSchema,
  feedback_type: FeedbackTypeSchema,
  confidence: z.number().min(0).max(1),
  key_issues: z.array(z.string()),
  suggestions: z.array(z.string()),
  learning_priority: PrioritySchema,
  /** Normalised to 0–1 (1 = best); null when the feedback carries no judgement. */
  score: z.number().min(0).max(1).nullable(),
  /** The numeric scale used, when a number was read, and whether it was declared or inferred. */
  scale: ScaleSchema.optional(),
  method: z.enum(['deterministic', 'llm']),
  /** Why the LLM analysis was not used, when it was configured. */
  llm_fallback_reason: z.string().optional(),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/** What an LLM must return (validated before use; anything else falls back). */
export const LlmAnalysisSchema = AnalysisSchema.pick({
  sentiment: true,
  feedback_type: true,
  confidence: true,
  key_issues: true,
  suggestions: true,
  learning_priority: true,
  score: true,
});

export const ChangeSchema = z.object({
  param: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  /** Readable, e.g. "timeout 30 s → 4.2 s: p99 of 214 runs was 3.1 s". */
  reason: z.string(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const LearningResultSchema = z.object({
  triggered: z.boolean(),
  new_version: VersionSchema.optional(),
  changes: z.array(ChangeSchema),
  /** Why training did or did not run (e.g. "auto-train after 12 of 50 new records"). */
  message: z.string().optional(),
});
export type LearningResult = z.infer<typeof LearningResultSchema>;

export const FeedbackResponseSchema = z.object({
  feedback_id: RecordIdSchema,
  analysis: AnalysisSchema,
  learning: LearningResultSchema,
});
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;

/** `.dana/poet/feedback/{name}/{timestamp}.json` */
export const FeedbackRecordSchema = z.object({
  feedback_id: RecordIdSchema,
  /** Sortable and unique, also within one millisecond; the file name. */
  timestamp: z.string(),
  created_at: z.string(),
  execution_id: RecordIdSchema,
  function_name: FunctionKeySchema,
  version: VersionSchema,
  raw_feedback: z.unknown(),
  analysis: AnalysisSchema,
});
export type FeedbackRecord = z.infer<typeof FeedbackRecordSchema>;

export const FeedbackVersionSummarySchema = z.object({
  version: VersionSchema,
  count: z.number().int(),
  sentiment_distribution: z.object({ positive: z.number(), negative: z.number(), neutral: z.number() }),
  feedback_type_distribution: z.record(z.string(), z.number()),
  mean_score: z.number().nullable(),
  top_issues: z.array(z.object({ issue: z.string(), count: z.number().int() })),
  recent: z.array(FeedbackRecordSchema),
});
export const FeedbackSummarySchema = z.object({
  function_name: FunctionKeySchema,
  total_feedback: z.number().int(),
  versions: z.array(FeedbackVersionSummarySchema),
});
export type FeedbackSummary = z.infer<typeof FeedbackSummarySchema>;

// ---------------------------------------------------------------- train

export const PromoteSchema = z.enum(['auto', 'manual']);
export type Promote = z.infer<typeof PromoteSchema>;

/** Knobs of the learner; defaults in DEFAULT_LEARNING_SETTINGS. */
export const LearningSettingsSchema = z
  .object({
    /** Success probability per call that retries must reach (`poet.target_success`). */
    target_success: z.number().gt(0).lt(1),
    /** Executions of the base version needed before Train proposes anything. */
    min_executions: z.number().int().min(5).max(100_000),
    max_retries: z.number().int().min(0).max(10),
    /** Timeout = chosen quantile of attempt durations × margin, within bounds. */
    timeout_margin: z.number().min(1).max(10),
    timeout_min_s: z.number().gt(0),
    timeout_max_s: z.number().gt(0).max(86_400),
    /** Opt-in: learn Perceive input ranges from successful executions. */
    learn_perceive_ranges: z.boolean(),
    /** Opt-in: learn Enforce output thresholds from positively rated outputs. */
    learn_enforce_thresholds: z.boolean(),
    /** `poet.autoTrain`: train after `after_records` new executions/feedback, at most once per interval. */
    auto_train: z
      .object({
        enabled: z.boolean(),
        after_records: z.number().int().min(1).max(1_000_000),
        min_interval_s: z.number().min(0).max(30 * 86_400),
        promote: PromoteSchema,
      })
      .strict(),
  })
  .strict();
export type LearningSettings = z.infer<typeof LearningSettingsSchema>;

export const DEFAULT_LEARNING_SETTINGS: LearningSettings = {
  target_success: 0.99,
  min_executions: 30,
  max_retries: 6,
  timeout_margin: 1.5,
  timeout_min_s: 0.05,
  timeout_max_s: 300,
  learn_perceive_ranges: false,
  learn_enforce_thresholds: false,
  auto_train: { enabled: false, after_records: 50, min_interval_s: 600, promote: 'manual' },
};

/** `PUT /poet/learning/settings` body: any subset, merged over the current settings. */
export const LearningSettingsPatchSchema = LearningSettingsSchema.omit({ auto_train: true })
  .partial()
  .extend({ auto_train: LearningSettingsSchema.shape.auto_train.partial().optional() })
  .strict();
export type LearningSettingsPatch = z.infer<typeof LearningSettingsPatchSchema>;

export const TrainRequestSchema = z
  .object({
    promote: PromoteSchema.default('auto'),
    /** Compute and return what would change without creating a version. */
    dry_run: z.boolean().default(false),
    /** Per-request overrides of the learning settings. */
    settings: LearningSettingsPatchSchema.omit({ auto_train: true }).optional(),
  })
  .strict();
export type TrainRequest = z.input<typeof TrainRequestSchema>;

export const EvidenceSchema = z.object({
  version: VersionSchema,
  executions: z.number().int(),
  successes: z.number().int(),
  failures: z.number().int(),
  attempts: z.number().int(),
  timeouts: z.number().int(),
  feedback: z.number().int(),
  window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const TRAIN_STATUSES = ['trained', 'no_change', 'not_enough_data', 'dry_run'] as const;
export const TrainResponseSchema = z.object({
  function_name: FunctionKeySchema,
  status: z.enum(TRAIN_STATUSES),
  /** e.g. "not enough data (12 of 30 executions)". */
  message: z.string(),
  base_version: VersionSchema,
  new_version: VersionSchema.nullable(),
  current_version: VersionSchema,
  promoted: z.boolean(),
  changes: z.array(ChangeSchema),
  /** The full learned config (core keys + domain_params) the new version would use. */
  learned_config: z.record(z.string(), z.unknown()).nullable(),
  evidence: EvidenceSchema,
});
export type TrainResponse = z.infer<typeof TrainResponseSchema>;

// ---------------------------------------------------------------- metrics

export const VersionMetricsSchema = z.object({
  version: VersionSchema,
  executions: z.number().int(),
  successes: z.number().int(),
  success_rate: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  mean_attempts: z.number().nullable(),
  retries_spent: z.number().int(),
  timeouts: z.number().int(),
  perceive_rejections: z.number().int(),
  enforce_rejections: z.number().int(),
  fallbacks: z.number().int(),
  feedback_count: z.number().int(),
  mean_feedback_score: z.number().nullable(),
  first_at: z.string().nullable(),
  last_at: z.string().nullable(),
});
export type VersionMetrics = z.infer<typeof VersionMetricsSchema>;

export const FunctionMetricsSchema = z.object({
  function_name: FunctionKeySchema,
  current_version: VersionSchema.nullable(),
  versions: z.array(VersionMetricsSchema),
  /** For charts: executions per time bucket, and each feedback score in time order. */
  timeline: z.object({
    bucket_s: z.number(),
    executions: z.array(z.object({ at: z.string(), version: VersionSchema, count: z.number().int(), failures: z.number().int() })),
    feedback: z.array(z.object({ at: z.string(), version: VersionSchema, score: z.number() })),
  }),
});
export type FunctionMetrics = z.infer<typeof FunctionMetricsSchema>;

export const ServiceMetricsSchema = z.object({
  uptime_s: z.number(),
  requests: z.array(z.object({ method: z.string(), route: z.string(), status: z.number().int(), count: z.number().int() })),
  latency_ms: z.object({ count: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  cache: z.object({ hits: z.number().int(), misses: z.number().int(), hit_rate: z.number().nullable() }),
  generations: z.number().int(),
  errors: z.number().int(),
  executions_recorded: z.number().int(),
  feedback_recorded: z.number().int(),
  trainings: z.number().int(),
  /**
   * What the learning records hold in memory, within fixed budgets (docs/learning.md, Memory):
   * per-version running aggregates of executions (the rest reload from their checkpoints) and
   * compact feedback rows (summaries cover these, the newest feedback).
   */
  learning_memory: z.object({
    aggregates: z.number().int(),
    aggregate_bytes: z.number().int(),
    aggregate_budget: z.number().int(),
    feedback_rows: z.number().int(),
    feedback_row_bytes: z.number().int(),
    feedback_row_budget: z.number().int(),
  }),
});
export type ServiceMetrics = z.infer<typeof ServiceMetricsSchema>;

// ---------------------------------------------------------------- routes

/** The learning endpoints: each declared once (shared/contract/endpoint.ts says what that means). */
export const LearningEndpoints = {
  // One record, or a batch of up to MAX_EXECUTION_BATCH (stored whole or not at all).
  postExecution: endpoint('POST', '/poet/executions', { request: z.union([ExecutionRequestSchema, ExecutionBatchSchema]), response: z.union([ExecutionResponseSchema, ExecutionBatchResponseSchema]), status: 201 }),
  execution: endpoint('GET', '/poet/executions/:id', { response: ExecutionDetailSchema }),
  functionExecutions: endpoint('GET', '/poet/functions/:name/executions', { response: ExecutionListSchema }),
  postFeedback: endpoint('POST', '/poet/feedback', { request: FeedbackRequestSchema, response: FeedbackResponseSchema, status: 201 }),
  functionFeedback: endpoint('GET', '/poet/functions/:name/feedback', { response: FeedbackSummarySchema }),
  train: endpoint('POST', '/poet/functions/:name/train', { request: TrainRequestSchema, response: TrainResponseSchema }),
  functionMetrics: endpoint('GET', '/poet/functions/:name/metrics', { response: FunctionMetricsSchema }),
  serviceMetrics: endpoint('GET', '/poet/metrics', { response: ServiceMetricsSchema }),
  prometheus: endpoint('GET', '/metrics', { response: null }),
  settings: endpoint('GET', '/poet/learning/settings', { response: LearningSettingsSchema }),
  putSettings: endpoint('PUT', '/poet/learning/settings', { request: LearningSettingsPatchSchema, response: LearningSettingsSchema }),
};

/** URL paths of the learning endpoints, built from their declarations. */
export const learningPaths = {
  executions: () => endpointPath(LearningEndpoints.postExecution),
  execution: (id: string) => endpointPath(LearningEndpoints.execution, { id }),
  functionExecutions: (key: string, version?: string, limit?: number) =>
    endpointPath(LearningEndpoints.functionExecutions, { name: key }, { version, limit: limit ? String(limit) : undefined }),
  feedback: () => endpointPath(LearningEndpoints.postFeedback),
  functionFeedback: (key: string) => endpointPath(LearningEndpoints.functionFeedback, { name: key }),
  train: (key: string) => endpointPath(LearningEndpoints.train, { name: key }),
  functionMetrics: (key: string) => endpointPath(LearningEndpoints.functionMetrics, { name: key }),
  serviceMetrics: () => endpointPath(LearningEndpoints.serviceMetrics),
  prometheus: () => endpointPath(LearningEndpoints.prometheus),
  settings: () => endpointPath(LearningEndpoints.settings),
} as const;
