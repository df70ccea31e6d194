// Domain-specific learning: each domain lists the parameters Train may tune, with bounds
// (server/generator/domains: `learnableParams`). Core keys (timeout, retries) are tuned by
// train.ts within those bounds; domain keys get a learner here. A key without a learner is
// left alone (and listed in the docs) rather than guessed.
import type { ExecutionRecord, FeedbackRecord } from '../../shared/contract/learning';
import { quantile } from './stats';
import type { DomainLearner, TrainInput } from './train';

export interface LearnableParamInfo {
  key: string;
  min: number;
  max: number;
  default: number;
  description: string;
}

const clamp = (x: number, p: LearnableParamInfo) => Math.min(p.max, Math.max(p.min, x));

function positiveIds(feedback: FeedbackRecord[]): Set<string> {
  return new Set(feedback.filter((f) => f.analysis.sentiment === 'positive').map((f) => f.execution_id));
}

/** Shortest acceptable response: half the 5th percentile of positively rated responses' lengths. */
function minResponseLength(p: LearnableParamInfo): DomainLearner {
  return {
    param: p.key,
    learn({ records, feedback, current }) {
      const liked = positiveIds(feedback);
      const lengths = records
        .filter((r) => liked.has(r.context.execution_id) && typeof r.result.output === 'string')
        .map((r) => (r.result.output as string).trim().length);
      if (lengths.length < 10) return null;
      const p5 = quantile(lengths, 0.05)!;
      const value = Math.round(clamp(p5 / 2, p));
      const cur = typeof current === 'number' ? current : p.default;
      if (Math.abs(value - cur) < Math.max(2, cur * 0.2)) return null;
      return { value, reason: `the shortest 5% of ${lengths.length} positively rated responses had ≤ ${Math.round(p5)} characters; half of that, within [${p.min}, ${p.max}]` };
    },
  };
}

/**
 * A tolerance threshold (drift_threshold, exclusive_threshold…): when calls it rejected were
 * later rated positively (false alarms), widen it by 20% within its bounds.
 */
function threshold(p: LearnableParamInfo): DomainLearner {
  return {
    param: p.key,
    learn({ records, feedback, current }) {
      const liked = positiveIds(feedback);
      const word = p.key.replace(/_threshold$/, '');
      const rejected = records.filter((r) => (r.result.error?.phase === 'enforce' || r.result.error?.phase === 'perceive') && r.result.error.message.toLowerCase().includes(word));
      const falseAlarms = rejected.filter((r: ExecutionRecord) => liked.has(r.context.execution_id)).length;
      if (rejected.length < 5 || falseAlarms / rejected.length < 0.5) return null;
      const cur = typeof current === 'number' ? current : p.default;
      const value = Math.round(clamp(cur * 1.2, p) * 1000) / 1000;
      if (value === cur) return null;
      return { value, reason: `${falseAlarms} of ${rejected.length} calls rejected by the ${word} rule were rated positively (false alarms); widened by 20% within [${p.min}, ${p.max}]` };
    },
  };
}

const CORE = new Set(['timeout', 'retries']);

/** Learners and core bounds for a domain's learnable parameters. */
export function domainLearning(params: LearnableParamInfo[]): { learners: DomainLearner[]; bounds: NonNullable<TrainInput['bounds']> } {
  const learners: DomainLearner[] = [];
  const bounds: NonNullable<TrainInput['bounds']> = {};
  for (const p of params) {
    if (p.key === 'timeout') bounds.timeout = { min: p.min, max: p.max };
    else if (p.key === 'retries') bounds.retries = { min: p.min, max: p.max };
    else if (p.key === 'min_response_length') learners.push(minResponseLength(p));
    else if (/threshold$/.test(p.key)) learners.push(threshold(p));
  }
  return { learners: learners.filter((l) => !CORE.has(l.param)), bounds };
}
