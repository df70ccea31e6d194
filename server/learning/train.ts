// Train: learns operational parameters (retries, per-attempt timeout, backoff) and,
// opt-in, Perceive ranges / Enforce thresholds and domain parameters from one version's
// recorded executions and feedback. Pure: records in, proposal out; the service turns a
// proposal into a new version. Every change carries the evidence that justifies it.
//
// Model: attempts are independent draws from the recorded attempt pool. An attempt
// succeeds when it returned ok within the timeout; transient errors and timeouts are
// retried, permanent ones (bad input, ValueError…) are not. For each candidate timeout we
// size retries on the upper confidence bound of the failure rate, then replay the pool
// (seeded, so deterministic) to estimate the call's p95 latency, and keep the candidate
// that is fastest at the target success rate.
import type { Change, Evidence, ExecutionRecord, FeedbackRecord, LearningSettings } from '../../shared/contract/learning';
import type { Backoff } from '../../shared/config';
import { attemptsForTarget, effectiveSize, formatPercent, formatSeconds, mean, quantileSorted, roundNice, roundUpNice, seededRandom, WeightedSample, wilsonUpper } from './stats';

/** The part of a version's config Train reads and may change. */
export interface TrainableConfig {
  retries: number;
  timeout: number;
  backoff: Backoff;
  domain_params?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A domain's learnable parameter: given the evidence, propose a value and say why. */
export interface DomainLearner {
  param: string;
  learn(ctx: { records: ExecutionRecord[]; feedback: FeedbackRecord[]; current: unknown }): { value: unknown; reason: string } | null;
}

export interface TrainInput {
  version: string;
  config: TrainableConfig;
  records: ExecutionRecord[];
  feedback: FeedbackRecord[];
  settings: LearningSettings;
  domainLearners?: DomainLearner[];
  /** Rules learned by an earlier Train and in force in this version (to tell whether they changed). */
  currentRules?: LearnedRules | null;
  /** The domain's bounds on core parameters (e.g. timeout 1–120 s for financial_services). */
  bounds?: { timeout?: { min: number; max: number }; retries?: { min: number; max: number } };
}

export interface TimeoutCandidate {
  label: string;
  timeout_s: number;
  retries: number;
  failure_rate: number;
  est_success: number;
  est_p95_s: number;
  reaches_target: boolean;
}

export interface TrainProposal {
  status: 'trained' | 'no_change' | 'not_enough_data';
  message: string;
  changes: Change[];
  /** The config the new version gets (same object shape as the input config). */
  config: TrainableConfig;
  evidence: Evidence;
  /** What was weighed, for the docs/bench and for curious users. */
  candidates: TimeoutCandidate[];
  /**
   * Opt-in Perceive ranges / Enforce thresholds, in the generator's rule language. The service
   * applies them through a user domain that extends the function's domain.
   */
  learnedRules: LearnedRules | null;
}

export interface LearnedRules {
  inputs: LearnedRule[];
  outputs: LearnedRule[];
}

/** The parts of learned rules that matter when comparing two sets (not their descriptions). */
export function ruleKey(r: LearnedRules | null | undefined): string {
  if (!r) return 'null';
  const strip = (x: LearnedRule) => ({ params: x.params ?? null, field: x.field ?? null, min: x.min, max: x.max });
  return JSON.stringify({ inputs: r.inputs.map(strip), outputs: r.outputs.map(strip) });
}

export interface LearnedRule {
  params?: string[];
  field?: string;
  min: number;
  max: number;
  description: string;
}

/** Error types that retrying cannot fix (bad input or a bug), unless a retry was seen to recover. */
const PERMANENT_TYPES = new Set([
  'ValueError', 'TypeError', 'KeyError', 'IndexError', 'AttributeError', 'AssertionError', 'NameError',
  'ZeroDivisionError', 'NotImplementedError', 'SyntaxError', 'ImportError', 'ModuleNotFoundError', 'UnboundLocalError',
  'PerceiveError', 'EnforceError', 'ValidationError',
]);
const NON_RETRIED_PHASES = new Set(['perceive', 'enforce']);

interface PoolAttempt {
  /** Seconds; null when the record did not say (multi-attempt call without attempt_log). */
  d: number | null;
  outcome: 'ok' | 'error' | 'timeout';
  /** Calls its record stands for (the record's weight; 1 unless the reporter sampled). */
  w: number;
}

function isTimeoutError(type: string, phase: string): boolean {
  return phase === 'timeout' || /timeout|timedout/i.test(type);
}

/**
 * Everything Train derives from the records before deciding. Counts are of the calls the
 * records stand for (Σ weight); `records` counts the records themselves.
 */
export interface Observations {
  records: number;
  calls: number;
  successes: number;
  permanentFailures: number;
  permanentTypes: Record<string, number>;
  pool: PoolAttempt[];
  /** Durations (s) of successful attempts. */
  okDurations: WeightedSample;
  timeouts: number;
  attempts: number;
  /** Consecutive-attempt transitions inside calls: fail→fail and fail→ok counts. */
  firstFailures: number;
  failFail: number;
  failOk: number;
  /** (JSON size of the inputs, duration of the call's first attempt) for calls where both are known. */
  sizeVsDuration: Array<[number, number]>;
  /** Calls (with an attempt_log) where an attempt timed out and a later one succeeded, or none did. */
  timeoutRecovered: number;
  timeoutExhausted: number;
  window: { from: string | null; to: string | null };
}

export function observe(records: ExecutionRecord[], currentTimeout: number): Observations {
  // A type is transient if any call recovered from it on a retry.
  const recovered = new Set<string>();
  for (const r of records) {
    const log = r.result.attempt_log;
    if (log && r.result.status === 'success') for (const a of log) if (a.outcome !== 'ok' && a.error_type) recovered.add(a.error_type);
  }
  const permanent = (type: string, phase: string) =>
    NON_RETRIED_PHASES.has(phase) || (PERMANENT_TYPES.has(type) && !recovered.has(type));

  const o: Observations = {
    records: 0, calls: 0, successes: 0, permanentFailures: 0, permanentTypes: {}, pool: [], okDurations: WeightedSample.of([]),
    timeouts: 0, attempts: 0, firstFailures: 0, failFail: 0, failOk: 0, timeoutRecovered: 0, timeoutExhausted: 0, sizeVsDuration: [], window: { from: null, to: null },
  };
  const ok: Array<[number, number]> = [];
  for (const r of records) {
    const w = r.result.weight ?? 1;
    // A record sent only because its id was asked for: the sampled ones already stand for it.
    if (!(w > 0)) continue;
    o.records++;
    o.calls += w;
    const started = r.context.started_at;
    if (!o.window.from || started < o.window.from) o.window.from = started;
    if (!o.window.to || started > o.window.to) o.window.to = started;
    const res = r.result;
    o.attempts += w * res.attempts;
    if (res.status === 'success') o.successes += w;
    const err = res.error;
    if (err && permanent(err.type, err.phase)) {
      o.permanentFailures += w;
      o.permanentTypes[err.type] = (o.permanentTypes[err.type] ?? 0) + w;
      continue; // retries and timeouts do not change these calls
    }
    let attempts: PoolAttempt[];
    if (res.attempt_log?.length) {
      attempts = res.attempt_log.map((a) => ({ d: a.duration_ms / 1000, outcome: a.outcome, w }));
    } else if (res.attempts === 1) {
      const outcome = res.status === 'success' ? 'ok' : err && isTimeoutError(err.type, err.phase) ? 'timeout' : 'error';
      attempts = [{ d: res.duration_ms / 1000, outcome, w }];
    } else {
      // Only the count is known: attempts−1 failures, then the final outcome.
      const last: PoolAttempt['outcome'] = res.status === 'success' ? 'ok' : err && isTimeoutError(err.type, err.phase) ? 'timeout' : 'error';
      attempts = [...Array.from({ length: res.attempts - 1 }, () => ({ d: null, outcome: 'error' as const, w })), { d: null, outcome: last, w }];
    }
    const first = attempts[0];
    if (first && first.d !== null && !r.context.inputs_truncation.truncated) {
      o.sizeVsDuration.push([JSON.stringify(r.context.inputs ?? null).length, first.outcome === 'timeout' ? Number.MAX_VALUE : first.d]);
    }
    if (res.attempt_log?.length) {
      const firstTimeout = attempts.findIndex((a) => a.outcome === 'timeout' || (a.d !== null && a.d >= currentTimeout * 0.98 && a.outcome !== 'ok'));
      if (firstTimeout >= 0) {
        if (attempts.slice(firstTimeout + 1).some((a) => a.outcome === 'ok')) o.timeoutRecovered += w;
        else if (res.status !== 'success') o.timeoutExhausted += w;
      }
    }
    for (let i = 0; i < attempts.length; i++) {
      const a = attempts[i]!;
      // An attempt that ran to the current timeout timed out, whatever the record called it.
      if (a.outcome !== 'ok' && a.d !== null && a.d >= currentTimeout * 0.98) a.outcome = 'timeout';
      if (a.outcome === 'timeout') o.timeouts += w;
      if (a.outcome === 'ok' && a.d !== null) ok.push([a.d, w]);
      o.pool.push(a);
      if (i === 0 && a.outcome !== 'ok') o.firstFailures += w;
      if (i > 0 && attempts[i - 1]!.outcome !== 'ok') {
        if (a.outcome === 'ok') o.failOk += w;
        else o.failFail += w;
      }
    }
  }
  o.okDurations = WeightedSample.of(ok);
  return o;
}

interface Policy {
  timeout: number;
  retries: number;
  backoff: Backoff;
}

/** Backoff before retry k (0-based), without jitter: what the generated code waits. */
export function backoffDelay(b: Backoff, k: number): number {
  return Math.min(b.max_s, b.initial_s * b.multiplier ** k);
}

/**
 * Replays the attempt pool under a policy: seeded resampling of attempts with known
 * durations. Returns the estimated success rate and p95 call latency (s).
 */
export function replay(pool: PoolAttempt[], policy: Policy, calls = 4000, seed = 7): { success: number; p95: number; p50: number } {
  const known = pool.filter((a) => a.d !== null) as Array<{ d: number; outcome: PoolAttempt['outcome']; w: number }>;
  if (!known.length) return { success: 0, p95: Number.NaN, p50: Number.NaN };
  const rnd = seededRandom(seed);
  // Draw attempts in proportion to the calls they stand for (uniformly when unweighted).
  const cumulative: number[] = [];
  let sum = 0;
  for (const a of known) cumulative.push((sum += a.w));
  const unit = sum === known.length && known.every((a) => a.w === 1);
  const draw = () => {
    if (unit) return known[Math.floor(rnd() * known.length)]!;
    const x = rnd() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return known[lo]!;
  };
  const times: number[] = [];
  let ok = 0;
  for (let c = 0; c < calls; c++) {
    let t = 0;
    let done = false;
    for (let k = 0; k <= policy.retries && !done; k++) {
      const a = draw();
      if (a.outcome === 'ok' && a.d <= policy.timeout * (1 + 1e-9)) {
        t += a.d;
        done = true;
      } else {
        t += Math.min(a.d, policy.timeout);
        if (k < policy.retries) t += backoffDelay(policy.backoff, k) * (1 + policy.backoff.jitter * (2 * rnd() - 1));
      }
    }
    if (done) ok++;
    times.push(t);
  }
  times.sort((a, b) => a - b);
  return { success: ok / calls, p95: quantileSorted(times, 0.95)!, p50: quantileSorted(times, 0.5)! };
}

const fmtS = formatSeconds;

function learnBackoff(o: Observations, current: Backoff): { backoff: Backoff; reason: string | null } {
  const transitions = o.failFail + o.failOk;
  // Compare a retry's failure rate with a first attempt's: equal means independent failures.
  const calls = o.calls - o.permanentFailures;
  const failRate = calls > 0 ? o.firstFailures / calls : 0;
  const p50ok = o.okDurations.quantile(0.5);
  if (transitions >= 10) {
    const afterFail = o.failFail / transitions;
    if (afterFail > failRate + 0.15 && afterFail > failRate * 1.5) {
      // Failures cluster: waiting gives the dependency time to recover.
      const initial = Math.min(5, Math.max(current.initial_s, roundNice(Math.max(0.5, (p50ok ?? 0.5) * 2))));
      const next = { ...current, initial_s: initial, multiplier: Math.max(current.multiplier, 2), jitter: Math.max(current.jitter, 0.2) };
      return {
        backoff: next,
        reason: `a retry after a failure failed ${formatPercent(afterFail)} of the time vs ${formatPercent(failRate)} of first attempts (${Math.round(transitions)} retries): failures come in bursts, so wait longer before retrying`,
      };
    }
    if (p50ok !== null) {
      const initial = Math.max(0.01, roundNice(Math.min(current.initial_s, p50ok * 0.25)));
      // Already a short constant wait of about that size: keep it (no churn between rounds).
      if (current.multiplier === 1 && current.initial_s <= initial * 2) return { backoff: current, reason: null };
      return {
        backoff: { ...current, initial_s: initial, multiplier: 1, jitter: Math.max(current.jitter, 0.2) },
        reason: `a retry after a failure failed ${formatPercent(afterFail)} of the time vs ${formatPercent(failRate)} of first attempts (${Math.round(transitions)} retries): failures are independent, so a short constant wait (¼ of the median attempt, ${fmtS(p50ok)}) is enough`,
      };
    }
  }
  if (p50ok !== null && failRate > 0) {
    // No retries observed yet: assume independence (the common case) but say so.
    const initial = Math.max(0.01, roundNice(Math.min(current.initial_s, p50ok * 0.25)));
    return {
      backoff: { ...current, initial_s: initial, multiplier: 1, jitter: Math.max(current.jitter, 0.2) },
      reason: `no retries recorded yet to show failures cluster; assuming independent failures, wait a constant ¼ of the median attempt (${fmtS(p50ok)}) before each retry`,
    };
  }
  return { backoff: current, reason: null };
}

function numericFields(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof v === 'number' && Number.isFinite(v)) out.value = v;
  else if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
  }
  return out;
}

/** Per-field [min, max] of numeric values, widened by 10% of the span. */
function learnRanges(values: unknown[]): Record<string, { min: number; max: number; n: number; seen: [number, number] }> {
  const by: Record<string, number[]> = {};
  for (const v of values) for (const [k, x] of Object.entries(numericFields(v))) (by[k] ??= []).push(x);
  const out: Record<string, { min: number; max: number; n: number; seen: [number, number] }> = {};
  for (const [k, xs] of Object.entries(by)) {
    if (xs.length < 10) continue;
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const pad = (hi - lo) * 0.1;
    out[k] = { min: roundNice(lo - pad), max: roundNice(hi + pad), n: xs.length, seen: [lo, hi] };
  }
  return out;
}

/**
 * How concentrated the slowest 15% of calls are among big inputs: the share of them whose
 * input is larger than the 90th percentile of the other calls' inputs (≈ 10% by chance).
 */
export function inputDependence(pairs: Array<[number, number]>): { share: number; slow: number } | null {
  if (pairs.length < 20) return null;
  const cut = quantileSorted(pairs.map(([, d]) => d).sort((a, b) => a - b), 0.85)!;
  const slow = pairs.filter(([, d]) => d > cut);
  const rest = pairs.filter(([, d]) => d <= cut).map(([s]) => s).sort((a, b) => a - b);
  if (slow.length < 5 || rest.length < 5) return null;
  const big = quantileSorted(rest, 0.9)!;
  return { share: slow.filter(([s]) => s > big).length / slow.length, slow: slow.length };
}

export function notEnoughDataMessage(have: number, need: number): string {
  return `not enough data (${have} of ${need} executions)`;
}

/**
 * Learns from one version's records and feedback, in steps: what happened (observe), the
 * backoff, the timeout and retries that reach the target fastest, opt-in rules and domain
 * parameters, then the proposal that says why.
 */
export function train(input: TrainInput): TrainProposal {
  const { settings, config } = input;
  const o = observe(input.records, config.timeout);
  const evidence = evidenceOf(input, o);
  const base = { evidence, candidates: [] as TimeoutCandidate[], config: structuredClone(config), learnedRules: null };
  // Enough records observed, whatever they stand for: sampling does not add evidence.
  if (o.records < settings.min_executions) {
    return { ...base, status: 'not_enough_data', message: notEnoughDataMessage(o.records, settings.min_executions), changes: [] };
  }
  // Backoff first: the latency estimates of the timeout candidates include it.
  const bo = learnBackoff(o, config.backoff);
  const timing = chooseTimeout(input, o, bo.backoff);
  const next: TrainableConfig = structuredClone(config);
  const changes = [...operateChanges(config, next, timing, bo), ...domainChanges(input, next)];
  const rules = learnRules(input);
  // Learned rules count as a change only when they differ from the ones in force.
  let learnedRules = rules.learned;
  if (learnedRules && ruleKey(learnedRules) !== ruleKey(input.currentRules)) changes.push(...rules.proposals);
  else learnedRules = input.currentRules ?? null;
  const summary = summarise(input, o, timing.inputNote);
  if (!changes.length) {
    return { ...base, candidates: timing.candidates, learnedRules, status: 'no_change', message: `No parameter differs enough from the current ones. ${summary}`, changes };
  }
  return { evidence, candidates: timing.candidates, learnedRules, config: next, status: 'trained', message: `${changes.length} change(s) learned from ${summary}`, changes };
}

function evidenceOf(input: TrainInput, o: Observations): Evidence {
  return {
    version: input.version,
    executions: Math.round(o.calls),
    successes: Math.round(o.successes),
    failures: Math.round(o.calls) - Math.round(o.successes),
    attempts: Math.round(o.attempts),
    timeouts: Math.round(o.timeouts),
    feedback: input.feedback.length,
    window: o.window,
  };
}

/** The timeout (and the retries it needs) Train settles on, what it weighed, and why. */
interface TimeoutChoice {
  chosen: TimeoutCandidate | null;
  candidates: TimeoutCandidate[];
  reason: string;
  /** Set when slow calls are slow because of their input (then the tail is not cut). */
  inputNote: string;
  /** Attempts observed, and their effective sample size (a sampled record is one observation). */
  attempts: number;
  nEff: number;
  retriesMax: number;
  target: number;
}

/**
 * Candidate timeouts, sized with retries and replayed. Attempts that timed out are censored
 * (we only know they took ≥ the current timeout), so quantiles are taken over all attempts
 * with timeouts as +∞, and only candidates below the current timeout are read from them.
 */
function chooseTimeout(input: TrainInput, o: Observations, backoff: Backoff): TimeoutChoice {
  const { settings, config } = input;
  const target = settings.target_success;
  const n = o.pool.length;
  let poolWeight = 0;
  let okWeight = 0;
  for (const a of o.pool) {
    poolWeight += a.w;
    if (a.outcome === 'ok') okWeight += a.w;
  }
  const nEff = effectiveSize(o.pool.map((a) => a.w));
  const okShare = poolWeight ? okWeight / poolWeight : 0;
  const tMin = Math.max(settings.timeout_min_s, input.bounds?.timeout?.min ?? 0);
  const tMax = Math.min(settings.timeout_max_s, input.bounds?.timeout?.max ?? Number.POSITIVE_INFINITY);
  const clampT = (t: number) => Math.min(tMax, Math.max(tMin, t));
  const rMin = input.bounds?.retries?.min ?? 0;
  const rMax = Math.min(settings.max_retries, input.bounds?.retries?.max ?? settings.max_retries);
  const out: TimeoutChoice = { chosen: null, candidates: [], reason: '', inputNote: '', attempts: n, nEff, retriesMax: rMax, target };

  const S = o.okDurations;
  const p99 = S.quantile(0.99);
  const T0 = config.timeout;
  const censored = o.timeouts > 0;
  const all = WeightedSample.of(o.pool.filter((a) => a.d !== null).map((a): [number, number] => [a.outcome === 'timeout' ? Number.POSITIVE_INFINITY : (a.d as number), a.w]));
  const timeoutShare = poolWeight ? o.timeouts / poolWeight : 0;
  const candidates = out.candidates;
  const evaluate = (label: string, t: number, fixedRetries?: number): TimeoutCandidate => {
    // Per-attempt failure at this timeout: not ok, or ok but slower than the timeout.
    const fail = 1 - okShare * S.cdf(t);
    const qU = wilsonUpper(fail * nEff, nEff);
    const need = attemptsForTarget(qU, target);
    const retries = fixedRetries ?? Math.max(rMin, Math.min(rMax, Number.isFinite(need) ? need - 1 : rMax));
    const sim = replay(o.pool, { timeout: t, retries, backoff });
    const est = 1 - qU ** (retries + 1);
    return { label, timeout_s: t, retries, failure_rate: fail, est_success: est, est_p95_s: sim.p95, reaches_target: est >= target };
  };
  if (p99 === null || S.length < 10) return out;

  // Timeouts that a retry recovers from are a deliberate tail cut; timeouts that persist
  // through every attempt (or with no retries to tell) while successes come close to the
  // timeout mean it cuts real work: raise it instead.
  const timeoutEvidence = o.timeoutRecovered + o.timeoutExhausted;
  const persistent = timeoutEvidence < 5 || o.timeoutExhausted / timeoutEvidence > 0.5;
  const tight = timeoutShare > 0.05 && persistent && (S.quantile(0.95) ?? 0) > 0.7 * T0;
  const incumbent = evaluate('current', T0, config.retries);
  if (tight) {
    candidates.push(evaluate('current × 2', clampT(T0 * 2)));
    out.chosen = candidates[0]!;
    out.reason = `${formatPercent(timeoutShare)} of ${n} attempts timed out${timeoutEvidence ? ` (a retry recovered ${Math.round(o.timeoutRecovered)} of ${Math.round(timeoutEvidence)})` : ''} and successful ones reached ${fmtS(S.quantile(0.95)!)} (p95): the timeout cuts real work`;
    return out;
  }
  // The conservative reference: p99 × margin when nothing was cut, else the current timeout.
  const reference = censored ? evaluate('current timeout', clampT(T0)) : evaluate(`p99 × ${settings.timeout_margin}`, clampT(roundUpNice(p99 * settings.timeout_margin)));
  candidates.push(incumbent, reference);
  // Slow because of the input? Then a retry is as slow, and cutting the tail would only
  // turn slow successes into failures. Sign: the slowest attempts carry the biggest inputs.
  const dep = inputDependence(o.sizeVsDuration);
  const inputDependent = dep !== null && dep.share >= 0.5;
  if (inputDependent) out.inputNote = `; ${formatPercent(dep.share)} of the ${dep.slow} slowest calls had inputs bigger than 90% of the others, so slow attempts are not cut and retried`;
  for (const q of inputDependent ? [] : [0.8, 0.85, 0.9, 0.95]) {
    const t = all.quantile(q);
    if (t === null || !Number.isFinite(t) || t >= T0 * 0.98) continue;
    candidates.push(evaluate(`p${Math.round(q * 100)}`, clampT(roundUpNice(t))));
  }
  const viable = candidates.filter((c) => c.reaches_target);
  const fastest = [...viable].sort((a, b) => a.est_p95_s - b.est_p95_s)[0];
  // A timeout that is already cutting the tail and meets the target stays unless beaten;
  // one that never fired is compared with p99 × margin (so 30 s → 4.5 s when p99 is 3 s).
  const base = censored && incumbent.reaches_target ? incumbent : reference;
  // Move only when it clearly pays (≥ 10% lower p95); otherwise keep the reference.
  let chosen = fastest && (!base.reaches_target || fastest.est_p95_s < 0.9 * base.est_p95_s) ? fastest : base;
  if (!viable.length) chosen = [...candidates].sort((a, b) => b.est_success - a.est_success)[0]!;
  out.chosen = chosen;
  const timedOut = o.timeouts ? `${Math.round(o.timeouts)} of ${Math.round(poolWeight)} attempts timed out${timeoutEvidence ? ` and a retry recovered ${Math.round(o.timeoutRecovered)} of ${Math.round(timeoutEvidence)}` : ''}` : 'no attempt timed out';
  if (chosen === reference && !censored) {
    out.reason = `p99 of ${S.length} successful attempts was ${fmtS(p99)} (× ${settings.timeout_margin} margin); ${timedOut}${out.inputNote}`;
  } else if (chosen !== incumbent && chosen !== reference) {
    out.reason =
      `${chosen.label} of ${all.length} attempts was ${fmtS(chosen.timeout_s)} (${censored ? `${Math.round(o.timeouts)} timed out at ${fmtS(T0)}` : `p99 of successful ones ${fmtS(p99)}`}); ${timedOut}. ` +
      `Cutting the slowest ${formatPercent(1 - all.cdf(chosen.timeout_s))} of attempts and retrying gives an estimated p95 call latency of ` +
      `${fmtS(chosen.est_p95_s)} vs ${fmtS(base.est_p95_s)} at ${base.label === 'current' ? `the current ${fmtS(base.timeout_s)}` : `${base.label} (${fmtS(base.timeout_s)})`}`;
  } else if (chosen === incumbent) {
    out.reason = `${timedOut}; the current timeout and retries already give the target${out.inputNote}`;
  } else {
    out.reason = `${timedOut}; the current timeout, within bounds [${fmtS(tMin)}, ${fmtS(tMax)}]${out.inputNote}`;
  }
  return out;
}

/** The timeout, retries and backoff changes, written into `next`. */
function operateChanges(config: TrainableConfig, next: TrainableConfig, timing: TimeoutChoice, bo: { backoff: Backoff; reason: string | null }): Change[] {
  const changes: Change[] = [];
  const chosen = timing.chosen;
  if (chosen) {
    const rel = Math.abs(chosen.timeout_s - config.timeout) / config.timeout;
    if (rel >= 0.2) {
      next.timeout = chosen.timeout_s;
      changes.push({ param: 'timeout', from: config.timeout, to: chosen.timeout_s, reason: `timeout ${fmtS(config.timeout)} → ${fmtS(chosen.timeout_s)}: ${timing.reason}` });
    }
    if (chosen.retries !== config.retries) {
      next.retries = chosen.retries;
      const failPct = formatPercent(chosen.failure_rate);
      const capped = !chosen.reaches_target ? ` (capped at ${timing.retriesMax}; the target is out of reach by retrying alone)` : '';
      const tail = next.timeout !== config.timeout ? ` at the ${fmtS(next.timeout)} timeout` : '';
      changes.push({
        param: 'retries', from: config.retries, to: chosen.retries,
        reason: `retries ${config.retries} → ${chosen.retries}: ${failPct} of ${timing.attempts} attempts failed transiently or would time out${tail} ` +
          `(≤ ${formatPercent(wilsonUpper(chosen.failure_rate * timing.nEff, timing.nEff))} at 95% confidence); ${chosen.retries + 1} attempts give ` +
          `${formatPercent(chosen.est_success)} success vs the ${formatPercent(timing.target)} target${capped}`,
      });
    }
  }
  // A backoff change only matters when there are retries to wait between.
  if (bo.reason && next.retries > 0) {
    const before = config.backoff;
    const after = bo.backoff;
    const rel = Math.abs(after.initial_s - before.initial_s) / Math.max(before.initial_s, 1e-9);
    if (rel >= 0.3 || after.multiplier !== before.multiplier) {
      next.backoff = after;
      const desc = (b: Backoff) => `${fmtS(b.initial_s)} × ${b.multiplier}`;
      changes.push({ param: 'backoff', from: before, to: after, reason: `backoff ${desc(before)} → ${desc(after)}: ${bo.reason}` });
    }
  }
  return changes;
}

/** Opt-in: input ranges from successful calls; output thresholds from positively rated outputs. */
function learnRules(input: TrainInput): { learned: LearnedRules | null; proposals: Change[] } {
  const proposals: Change[] = [];
  let learned: LearnedRules | null = null;
  if (input.settings.learn_perceive_ranges) {
    const ranges = learnRanges(input.records.filter((r) => r.result.status === 'success').map((r) => r.context.inputs));
    for (const [k, r] of Object.entries(ranges)) {
      (learned ??= { inputs: [], outputs: [] }).inputs.push({ params: [k], min: r.min, max: r.max, description: `learned: ${k} in [${r.seen[0]}, ${r.seen[1]}] over ${r.n} successful calls, widened by 10%` });
      proposals.push({ param: `perceive.${k}`, from: null, to: { min: r.min, max: r.max }, reason: `Perceive range for ${k}: [${r.min}, ${r.max}] (seen [${r.seen[0]}, ${r.seen[1]}] over ${r.n} successful calls, widened by 10%)` });
    }
  }
  if (input.settings.learn_enforce_thresholds) {
    const liked = new Set(input.feedback.filter((f) => f.analysis.sentiment === 'positive').map((f) => f.execution_id));
    const outputs = input.records.filter((r) => liked.has(r.context.execution_id) && r.result.status === 'success').map((r) => r.result.output);
    for (const [k, r] of Object.entries(learnRanges(outputs))) {
      (learned ??= { inputs: [], outputs: [] }).outputs.push({ ...(k === 'value' ? {} : { field: k }), min: r.min, max: r.max, description: `learned: ${k} in [${r.seen[0]}, ${r.seen[1]}] over ${r.n} positively rated outputs, widened by 10%` });
      proposals.push({ param: `enforce.${k}`, from: null, to: { min: r.min, max: r.max }, reason: `Enforce threshold for ${k}: [${r.min}, ${r.max}] (seen [${r.seen[0]}, ${r.seen[1]}] over ${r.n} positively rated outputs, widened by 10%)` });
    }
  }
  return { learned, proposals };
}

/** The domain's learnable parameters, written into `next.domain_params`. */
function domainChanges(input: TrainInput, next: TrainableConfig): Change[] {
  const changes: Change[] = [];
  const domainParams: Record<string, unknown> = { ...(input.config.domain_params ?? {}) };
  for (const learner of input.domainLearners ?? []) {
    const current = domainParams[learner.param];
    const r = learner.learn({ records: input.records, feedback: input.feedback, current });
    if (r && JSON.stringify(r.value) !== JSON.stringify(current)) {
      domainParams[learner.param] = r.value;
      changes.push({ param: learner.param, from: current ?? null, to: r.value, reason: `${learner.param} ${JSON.stringify(current ?? null)} → ${JSON.stringify(r.value)}: ${r.reason}` });
    }
  }
  if (input.config.domain_params !== undefined || Object.keys(domainParams).length) next.domain_params = domainParams;
  return changes;
}

/** What the proposal's message says about the evidence. */
function summarise(input: TrainInput, o: Observations, inputNote: string): string {
  const permanent = o.permanentFailures
    ? ` ${Math.round(o.permanentFailures)} of ${Math.round(o.calls)} calls failed with errors retrying cannot fix (${Object.entries(o.permanentTypes).map(([t, c]) => `${t} ×${Math.round(c)}`).join(', ')}).`
    : '';
  const meanScore = mean(input.feedback.map((f) => f.analysis.score).filter((s): s is number => s !== null));
  const fb = input.feedback.length ? ` Feedback: ${input.feedback.length} records, mean score ${roundNice(meanScore ?? 0)}.` : '';
  const note = inputNote ? ` Timeout: ${inputNote.slice(2)}.` : '';
  return `${Math.round(o.calls)} executions of ${input.version} (${formatPercent(o.successes / o.calls)} succeeded, ${Math.round(o.attempts)} attempts, ${Math.round(o.timeouts)} timeouts).${permanent}${note}${fb}`;
}
