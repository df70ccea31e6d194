// The learning loop inside the service: records executions and feedback, analyses
// feedback, trains new versions (on request, or automatically after N new records at most
// once per interval), and serves per-function metrics. Routes are thin over this class.
import type { VersionMetadata } from '../../shared/contract/api';
import { PoetError } from '../../shared/contract/errors';
import {
  DEFAULT_LEARNING_SETTINGS,
  LearningSettingsSchema,
  type Analysis,
  type ExecutionList,
  type ExecutionRecord,
  type ExecutionRequest,
  type FeedbackRecord,
  type FeedbackRequest,
  type FeedbackSummary,
  type FunctionMetrics,
  type LearningResult,
  type LearningSettings,
  type LearningSettingsPatch,
  type Promote,
  type TrainResponse,
} from '../../shared/contract/learning';
import type { LearningDeps } from './deps';
import { analyseFeedback } from './analysis';
import { llmAnalysis, llmSettingsFromEnv, type LlmSettings } from './llm';
import { functionMetrics } from './metrics';
import { LearningRecords, TRAIN_WINDOW } from './records';
import { ServiceMetricsCollector } from './service-metrics';
import { mean } from './stats';
import { domainLearning, type LearnableParamInfo } from './domain-learners';
import { ruleKey, train, type LearnedRules, type TrainableConfig } from './train';
import { learnableParams, userDomainPath } from '../generator/domains/index';

const LEARNED_DOMAIN_RE = /^learned_[A-Za-z0-9_]+$/;
const SETTINGS_DOC = 'learning/settings.json';
/** How long settings read from the store are used before reading them again (another process may change them). */
const SETTINGS_TTL_MS = 2_000;

export interface LearningOptions {
  /** Overrides the POET_LLM_* environment (tests pass a local endpoint, or null to disable). */
  llm?: LlmSettings | null;
  /** Domain → its learnable parameters (default: the generator's domain registry). */
  learnableParams?: (domain: string, workspace: string) => LearnableParamInfo[];
  /** Cap on the JSON size of recorded inputs/outputs. */
  valueLimitBytes?: number;
}

type TrainTrigger = 'api' | 'auto';

export class LearningService {
  readonly records: LearningRecords;
  readonly metrics: ServiceMetricsCollector;
  /** The settings and when they were read: other processes on the store may change them. */
  private settings: { value: LearningSettings; at: number } | null = null;
  private readonly llm: LlmSettings | null;
  /** Records since the last (auto-)train, per function; and when that train ran. */
  private readonly sinceTrain = new Map<string, number>();
  private readonly lastTrainAt = new Map<string, number>();
  /** One Train at a time per function (the pipeline takes the storage lock itself). */
  private readonly training = new Map<string, Promise<TrainResponse>>();
  private readonly background = new Set<Promise<unknown>>();
  /** Per key@version: whether its config enables training (versions never change). */
  private readonly enabledCache = new Map<string, boolean>();

  constructor(
    private readonly deps: LearningDeps,
    private readonly options: LearningOptions = {},
  ) {
    this.records = new LearningRecords(deps.store);
    this.metrics = new ServiceMetricsCollector(deps.startedAt);
    this.metrics.attach(deps.events);
    this.llm = options.llm === undefined ? llmSettingsFromEnv() : options.llm;
  }

  // ------------------------------------------------------------ settings

  async getSettings(): Promise<LearningSettings> {
    if (this.settings && Date.now() - this.settings.at < SETTINGS_TTL_MS) return this.settings.value;
    const stored = await this.deps.store.readDocument(SETTINGS_DOC, LearningSettingsSchema);
    this.settings = { value: stored ?? structuredClone(DEFAULT_LEARNING_SETTINGS), at: Date.now() };
    return this.settings.value;
  }

  async updateSettings(patch: LearningSettingsPatch): Promise<LearningSettings> {
    const cur = await this.getSettings();
    const next = { ...cur, ...patch, auto_train: { ...cur.auto_train, ...(patch.auto_train ?? {}) } };
    const r = LearningSettingsSchema.safeParse(next);
    if (!r.success) throw new PoetError('invalid_request', `Invalid learning settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (r.data.timeout_min_s > r.data.timeout_max_s) throw new PoetError('invalid_request', 'timeout_min_s must not exceed timeout_max_s.');
    await this.deps.store.writeDocument(SETTINGS_DOC, r.data);
    this.settings = { value: r.data, at: Date.now() };
    return r.data;
  }

  // ------------------------------------------------------------ executions

  private async requireVersion(key: string, version: string): Promise<VersionMetadata> {
    if (!(await this.deps.store.exists(key))) {
      throw new PoetError('not_found', `Unknown function "${key}". Enhance it first (POST /poet/transpile).`, { function_name: key });
    }
    const meta = await this.deps.store.readMetadata(key, version);
    if (!meta) {
      throw new PoetError('not_found', `Function "${key}" has no version ${version}.`, { function_name: key, version, versions: await this.deps.store.listVersions(key) });
    }
    return meta;
  }

  /**
   * Stores reports of calls (one, or a batch stored whole or not at all) once every function and
   * version they name exists; resolves when they are durable.
   */
  async recordExecutions(reqs: readonly ExecutionRequest[]): Promise<ExecutionRecord[]> {
    const seen = new Set<string>();
    for (const [i, req] of reqs.entries()) {
      const kv = `${req.function_name}@${req.version}`;
      if (seen.has(kv)) continue;
      seen.add(kv);
      if (this.knownVersions.has(kv)) continue;
      if (!(await this.deps.store.hasVersion(req.function_name, req.version))) {
        await this.requireVersion(req.function_name, req.version).catch((e: unknown) => {
          // Say which record of a batch named it.
          if (e instanceof PoetError && reqs.length > 1) throw new PoetError(e.code, `Record ${i}: ${e.message}`, { ...(e.details as object), index: i });
          throw e;
        });
      }
      if (this.knownVersions.size >= 4096) this.knownVersions.clear();
      this.knownVersions.add(kv);
    }
    const recs = await this.records.addExecutions(reqs, this.options.valueLimitBytes);
    const perKey = new Map<string, number>();
    for (const r of recs) {
      this.metrics.execution(r.context.function_name, r.context.version, r.result.status);
      perKey.set(r.context.function_name, (perKey.get(r.context.function_name) ?? 0) + 1);
    }
    // Auto-train runs in the background: the reporting call in generated code must stay fast.
    for (const [key, n] of perKey) {
      const p = this.noteRecord(key, n).catch((e) => this.deps.logger.error({ err: e, key }, 'auto-train failed'));
      this.background.add(p);
      void p.finally(() => this.background.delete(p));
    }
    return recs;
  }

  /** Function@version pairs seen to exist (versions are never removed by the service). */
  private readonly knownVersions = new Set<string>();

  async getExecution(id: string): Promise<{ record: ExecutionRecord; feedback: FeedbackRecord[] }> {
    const record = await this.records.getExecution(id);
    if (!record) throw new PoetError('not_found', `No execution "${id}". Use the execution_id returned by POST /poet/executions.`, { execution_id: id });
    const key = record.context.function_name;
    const rows = (await this.records.feedbackOf(key)).filter((f) => f.execution_id === id);
    return { record, feedback: rows.length ? await this.records.readFeedback(key, rows, { records: rows.length, bytes: Infinity }) : [] };
  }

  /**
   * Newest first, with how much feedback each has: for the tree and the feedback picker.
   * `total` counts every record stored for the function (or version), from the aggregates.
   */
  async listExecutions(key: string, version: string | undefined, limit: number): Promise<ExecutionList> {
    await this.requireFunction(key);
    const aggregates = await this.records.aggregates(key);
    let total = 0;
    for (const [v, a] of aggregates) if (!version || v === version) total += a.stored;
    const feedback = await this.records.feedbackOf(key);
    const count = new Map<string, number>();
    for (const f of feedback) count.set(f.execution_id, (count.get(f.execution_id) ?? 0) + 1);
    // Whole records for the page only; each is read, summarised and let go.
    const page = await this.records.recent(key, version, { records: limit, bytes: Infinity });
    return {
      function_name: key,
      total,
      executions: page.map((r) => ({
        execution_id: r.context.execution_id,
        version: r.context.version,
        started_at: r.context.started_at,
        status: r.result.status,
        duration_ms: r.result.duration_ms,
        attempts: r.result.attempts,
        ...(r.result.error ? { error: `${r.result.error.type}: ${r.result.error.message}`.slice(0, 200) } : {}),
        inputs_preview: preview(r.context.inputs),
        output_preview: r.result.status === 'success' ? preview(r.result.output) : null,
        feedback_count: count.get(r.context.execution_id) ?? 0,
      })),
    };
  }

  // ------------------------------------------------------------ feedback

  async analyse(feedback: unknown, ctx: { functionName: string; record?: ExecutionRecord }): Promise<Analysis> {
    const det = analyseFeedback(feedback);
    // The LLM helps with words; numbers, thumbs and booleans are read exactly already.
    const hasText = typeof feedback === 'string' ? det.feedback_type !== 'thumbs' && det.feedback_type !== 'rating' : !!feedback && typeof feedback === 'object';
    if (!this.llm || !hasText) return det;
    const r = await llmAnalysis(this.llm, {
      functionName: ctx.functionName,
      feedback,
      output: ctx.record?.result.output,
      error: ctx.record?.result.error,
    });
    if (!r.ok) {
      this.deps.logger.warn({ reason: r.reason }, 'LLM feedback analysis unavailable; deterministic analysis used');
      return { ...det, llm_fallback_reason: r.reason };
    }
    // An explicit rating's scale reading stays deterministic.
    return det.scale ? { ...r.analysis, score: det.score, scale: det.scale } : r.analysis;
  }

  async recordFeedback(req: FeedbackRequest): Promise<{ record: FeedbackRecord; learning: LearningResult }> {
    const record = await this.records.getExecution(req.execution_id);
    if (!record) {
      throw new PoetError('not_found', `No execution "${req.execution_id}". Feedback must name the execution_id returned by POST /poet/executions.`, {
        execution_id: req.execution_id,
      });
    }
    const key = record.context.function_name;
    if (req.function_name !== undefined && req.function_name !== key) {
      throw new PoetError('invalid_request', `Execution "${req.execution_id}" belongs to function "${key}", not "${req.function_name}".`, [
        { field: 'function_name', message: `must be "${key}" (or left out)` },
      ]);
    }
    const raw = req.feedback ?? req.feedback_payload;
    const analysis = await this.analyse(raw, { functionName: key, record });
    const fb = await this.records.addFeedback(record, { execution_id: req.execution_id, function_name: key, version: record.context.version, raw_feedback: raw, analysis }, this.options.valueLimitBytes);
    this.metrics.feedbackRecorded(key, analysis.sentiment);
    // The feedback is stored whatever happens next: an auto-train failure is reported, not thrown.
    const learning = await this.noteRecord(key).catch((e: unknown): LearningResult => {
      this.deps.logger.error({ err: e, key }, 'auto-train failed');
      return { triggered: false, changes: [], message: `auto-train failed: ${(e as Error).message}` };
    });
    return { record: fb, learning };
  }

  async feedbackSummary(key: string): Promise<FeedbackSummary> {
    await this.requireFunction(key);
    const all = await this.records.feedbackOf(key);
    const versions = [...new Set(all.map((f) => f.version))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const out: FeedbackSummary['versions'] = [];
    for (const version of versions) {
      const fs = all.filter((f) => f.version === version);
      const dist = { positive: 0, negative: 0, neutral: 0 };
      const types: Record<string, number> = {};
      const issues = new Map<string, number>();
      for (const f of fs) {
        dist[f.sentiment]++;
        types[f.feedback_type] = (types[f.feedback_type] ?? 0) + 1;
        for (const i of f.issues) issues.set(i, (issues.get(i) ?? 0) + 1);
      }
      const m = mean(fs.map((f) => f.score).filter((s): s is number => s !== null));
      out.push({
        version,
        count: fs.length,
        sentiment_distribution: dist,
        feedback_type_distribution: types,
        mean_score: m === null ? null : Math.round(m * 1000) / 1000,
        top_issues: [...issues.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([issue, count]) => ({ issue, count })),
        recent: (await this.records.readFeedback(key, fs.slice(-10), { records: 10, bytes: Infinity })).reverse(),
      });
    }
    return { function_name: key, total_feedback: all.length, versions: out };
  }

  // ------------------------------------------------------------ train

  private async requireFunction(key: string): Promise<void> {
    if (!(await this.deps.store.exists(key))) throw new PoetError('not_found', `Unknown function "${key}". Enhance it first (POST /poet/transpile).`, { function_name: key });
  }

  /** Counts a new record and, when auto-train is due, trains. */
  private async noteRecord(key: string, added = 1): Promise<LearningResult> {
    const n = (this.sinceTrain.get(key) ?? 0) + added;
    this.sinceTrain.set(key, n);
    const s = (await this.getSettings()).auto_train;
    if (!s.enabled && !(await this.trainingEnabled(key))) {
      return { triggered: false, changes: [], message: 'auto-train is off (enable it with poet.autoTrain, @poet(enable_training=True) or PUT /poet/learning/settings)' };
    }
    if (n < s.after_records) return { triggered: false, changes: [], message: `auto-train after ${n} of ${s.after_records} new records` };
    const last = this.lastTrainAt.get(key);
    if (last !== undefined && Date.now() - last < s.min_interval_s * 1000) {
      const wait = Math.ceil((s.min_interval_s * 1000 - (Date.now() - last)) / 1000);
      return { triggered: false, changes: [], message: `auto-train ran less than ${s.min_interval_s} s ago; next in ${wait} s` };
    }
    if (this.training.has(key)) return { triggered: false, changes: [], message: 'a Train run is already in progress' };
    const r = await this.train(key, { promote: s.promote }, 'auto');
    return {
      triggered: r.status === 'trained',
      ...(r.new_version ? { new_version: r.new_version } : {}),
      changes: r.changes,
      message: r.message,
    };
  }

  /** `enable_training` in the current version's config (set by @poet(...) or the poet.autoTrain setting). */
  private async trainingEnabled(key: string): Promise<boolean> {
    const current = await this.deps.store.readCurrent(key);
    if (!current) return false;
    const k = `${key}@${current}`;
    let v = this.enabledCache.get(k);
    if (v === undefined) {
      v = (await this.deps.store.readMetadata(key, current))?.config.enable_training === true;
      this.enabledCache.set(k, v);
    }
    return v;
  }

  train(key: string, req: { promote?: Promote; dry_run?: boolean; settings?: Partial<LearningSettings> }, trigger: TrainTrigger = 'api'): Promise<TrainResponse> {
    const running = this.training.get(key);
    if (running) return running;
    const p = this.runTrain(key, req, trigger).finally(() => this.training.delete(key));
    this.training.set(key, p);
    return p;
  }

  private async runTrain(key: string, req: { promote?: Promote; dry_run?: boolean; settings?: Partial<LearningSettings> }, trigger: TrainTrigger): Promise<TrainResponse> {
    await this.requireFunction(key);
    const store = this.deps.store;
    const versions = await store.listVersions(key);
    const current = (await store.readCurrent(key)) ?? versions[versions.length - 1];
    if (!current) throw new PoetError('not_found', `Function "${key}" has no versions.`);
    const meta = await this.requireVersion(key, current);
    const settings = { ...(await this.getSettings()), ...(req.settings ?? {}) };
    // The newest records of the version within TRAIN_WINDOW (records.ts), oldest first.
    const records = (await this.records.recent(key, current, TRAIN_WINDOW)).reverse();
    const feedback = await this.records.readFeedback(key, (await this.records.feedbackOf(key)).filter((f) => f.version === current));
    const config = meta.config as unknown as TrainableConfig;
    const domain = typeof meta.domain === 'string' ? meta.domain : null;
    const learnable = domain ? (this.options.learnableParams ?? learnableParams)(domain, this.deps.workspace) : [];
    const { learners, bounds } = domainLearning(learnable);
    const inForce = domain ? await this.learnedDomain(domain) : null;
    const proposal = train({ version: current, config, records, feedback, settings, domainLearners: learners, bounds, currentRules: inForce?.rules ?? null });

    this.sinceTrain.set(key, 0);
    this.lastTrainAt.set(key, Date.now());
    const base: TrainResponse = {
      function_name: key,
      status: proposal.status,
      message: proposal.message,
      base_version: current,
      new_version: null,
      current_version: current,
      promoted: false,
      changes: proposal.changes,
      learned_config: proposal.status === 'trained' ? (proposal.config as Record<string, unknown>) : null,
      evidence: proposal.evidence,
    };
    if (proposal.status !== 'trained' || req.dry_run) {
      const out = req.dry_run && proposal.status === 'trained' ? { ...base, status: 'dry_run' as const } : base;
      this.metrics.training(out.status, trigger);
      return out;
    }

    // A rollback pins the function: auto-train then proposes but does not promote.
    let promote: Promote = req.promote ?? 'auto';
    let note = '';
    const latest = versions[versions.length - 1];
    if (trigger === 'auto' && promote === 'auto' && latest !== current) {
      promote = 'manual';
      note = ` Not promoted: current is ${current}, not the newest ${latest} (rolled back or pinned), so auto-train leaves it alone.`;
    }
    const { domain_params, ...core } = proposal.config;
    if (proposal.learnedRules && ruleKey(proposal.learnedRules) !== ruleKey(inForce?.rules)) {
      // New learned rules take effect through a user domain extending the function's domain.
      // A fresh name per Train keeps older versions' domains (and source hashes) intact.
      core.domain = await this.writeLearnedDomain(key, current, inForce ? inForce.extends : domain, proposal.learnedRules);
      note += ` Learned rules apply through domain "${core.domain}" (${userDomainPath(core.domain as string)}).`;
    }
    const res = await this.deps.pipeline.enhance({
      code: meta.original_source,
      language: meta.language,
      functionName: meta.function_name,
      key,
      config: { ...core, ...(domain_params ?? {}) },
      contextFile: meta.source_file,
      reason: 'trained',
      extraMetadata: {
        changes: proposal.changes,
        evidence: proposal.evidence,
        training: { trigger, promote, base_version: current, candidates: proposal.candidates },
        ...(proposal.learnedRules ? { learned_rules: proposal.learnedRules } : {}),
      },
      makeCurrent: promote === 'auto',
    });
    let promoted = res.created ? promote === 'auto' : false;
    if (!res.created) {
      // The learned config equals an existing version's: reuse it rather than duplicate it.
      note += ` The learned parameters match existing ${res.version}.`;
      if (promote === 'auto' && res.version !== current) {
        await store.withFunctionLock(key, () => store.writeCurrent(key, res.version));
        promoted = true;
      }
    }
    const out: TrainResponse = {
      ...base,
      message: proposal.message + note + (promoted ? ` ${res.version} is now current.` : ` ${res.version} created; promote it with PUT /poet/functions/${key}/current.`),
      new_version: res.version,
      learned_config: { ...core, domain_params: domain_params ?? {} },
      current_version: (await store.readCurrent(key)) ?? current,
      promoted,
    };
    this.metrics.training(out.status, trigger);
    this.deps.logger.info({ key, base: current, version: res.version, promoted, changes: proposal.changes.length, trigger }, 'trained');
    return out;
  }

  /** A domain Train wrote earlier (`learned_*`): the rules in it and what it extends. */
  private async learnedDomain(domain: string): Promise<{ rules: LearnedRules; extends: string | null } | null> {
    if (!LEARNED_DOMAIN_RE.test(domain)) return null;
    const file = await this.deps.store.readDocument<{ extends?: string; inputs?: LearnedRules['inputs']; outputs?: LearnedRules['outputs'] }>(`domains/${domain}.json`);
    if (!file) return null;
    return { rules: { inputs: file.inputs ?? [], outputs: file.outputs ?? [] }, extends: file.extends ?? null };
  }

  private async writeLearnedDomain(key: string, base: string, parent: string | null, rules: LearnedRules): Promise<string> {
    const name = `learned_${key.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60)}_${base}_${Date.now().toString(36)}`;
    const fnName = key.split('.').pop()!;
    const file = {
      description: `Rules Train learned for ${key} from the executions of ${base}${parent ? `, on top of ${parent}` : ''}.`,
      ...(parent ? { extends: parent } : {}),
      inputs: rules.inputs,
      // Output rules are scoped to this function, in case the domain is reused.
      outputs: rules.outputs.map((r) => ({ ...r, functions: [fnName] })),
    };
    await this.deps.store.writeDocument(`domains/${name}.json`, file);
    return name;
  }

  // ------------------------------------------------------------ metrics

  async functionMetrics(key: string): Promise<FunctionMetrics> {
    await this.requireFunction(key);
    const [versions, current, aggregates, feedback] = await Promise.all([
      this.deps.store.listVersions(key),
      this.deps.store.readCurrent(key),
      this.records.aggregates(key),
      this.records.feedbackOf(key),
    ]);
    return functionMetrics(key, current, versions, aggregates, feedback);
  }

  /** Waits for background auto-train runs (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}
