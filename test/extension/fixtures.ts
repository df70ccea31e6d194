// Service responses as the contract defines them, for the tree and argument tests.
import type { FunctionDetailResponse, FunctionSummary } from '../../shared/contract/api';
import type { FunctionMetrics, VersionMetrics } from '../../shared/contract/learning';
import { FunctionDetailResponseSchema, FunctionListResponseSchema } from '../../shared/contract/api';
import { FunctionMetricsSchema } from '../../shared/contract/learning';

const H = (c: string) => `sha256:${c.repeat(64)}`;

export const folder = { uri: 'file:///work/ws', name: 'ws', path: '/work/ws' };

export const summaries: FunctionSummary[] = FunctionListResponseSchema.parse([
  { name: 'withdraw', key: 'withdraw', current_version: 'v3', versions: ['v1', 'v2', 'v3'], language: 'dana', source_file: 'bank/account.na', domain: 'financial_services', updated_at: '2026-11-26T14:30:00.000Z' },
  { name: 'area', key: 'area', current_version: 'v1', versions: ['v1'], language: 'python', source_file: 'geo.py', domain: null, updated_at: '2026-11-26T10:00:00.000Z' },
  { name: 'area', key: 'shapes.area', current_version: 'v1', versions: ['v1'], language: 'python', source_file: 'shapes.py', domain: null, updated_at: '2026-11-26T10:00:00.000Z' },
]);

const version = (n: number, reason: string, parent: string | null, ext = 'na') => ({
  version: `v${n}`,
  created_at: `2026-11-2${n}T0${n}:15:00.000Z`,
  source_hash: H(String(n)),
  config: { retries: n },
  reason,
  parent_version: parent,
  files: [`.dana/poet/functions/withdraw/v${n}/enhanced.${ext}`, `.dana/poet/functions/withdraw/v${n}/metadata.json`],
});

export const withdrawDetail: FunctionDetailResponse = FunctionDetailResponseSchema.parse({
  name: 'withdraw',
  key: 'withdraw',
  current_version: 'v2',
  language: 'dana',
  source_file: 'bank/account.na',
  domain: 'financial_services',
  versions: [version(1, 'initial', null), version(2, 'source_changed', 'v1'), version(3, 'config_changed', 'v2')],
});

const vm = (v: string, executions: number, successes: number): VersionMetrics => ({
  version: v,
  executions,
  successes,
  success_rate: executions ? successes / executions : null,
  p50_ms: null,
  p95_ms: null,
  mean_attempts: null,
  retries_spent: 0,
  timeouts: 0,
  perceive_rejections: 0,
  enforce_rejections: 0,
  fallbacks: 0,
  feedback_count: 0,
  mean_feedback_score: null,
  first_at: null,
  last_at: null,
});

export function metricsFor(current: string, rows: Array<[string, number, number]>): FunctionMetrics {
  return FunctionMetricsSchema.parse({
    function_name: 'withdraw',
    current_version: current,
    versions: rows.map(([v, e, s]) => vm(v, e, s)),
    timeline: { bucket_s: 3600, executions: [], feedback: [] },
  });
}
