// ml_monitoring: numeric series must be clean (no NaN or infinities); their mean is compared
// with a stored baseline (domain keys baseline_mean / baseline_std) and drift beyond
// drift_threshold standard deviations is rejected.
import { z } from 'zod';
import type { InputRule } from '../rules/schema';
import { num, type DomainDefinition } from './types';

export const ml_monitoring: DomainDefinition = {
  name: 'ml_monitoring',
  description: 'Numeric series free of NaN/infinity, minimum sample size, drift of the mean against a stored baseline; finite metrics out.',
  origin: 'builtin',
  params: {
    baseline_mean: { schema: z.number().nullable(), default: null, description: 'Mean of the reference data (null: no drift check).' },
    baseline_std: { schema: z.number().positive().nullable(), default: null, description: 'Standard deviation of the reference data.' },
    drift_threshold: { schema: z.number().positive(), default: 3, description: 'Allowed drift of the mean, in baseline standard deviations.' },
    min_samples: { schema: z.number().int().min(0), default: 1, description: 'Fewest values a series must hold.' },
  },
  learnableParams: [
    { key: 'drift_threshold', min: 0.5, max: 10, default: 3, description: 'Drift tolerance in standard deviations.' },
    { key: 'timeout', min: 1, max: 600, default: 60, description: 'Seconds per attempt.' },
  ],
  rules(v) {
    const series: InputRule = {
      params: ['*data*', '*values*', '*series*', '*samples*', '*predictions*', '*scores*', '*features*', '*observations*', '*metrics*', '*batch*'],
      when_type: ['list'],
      items_finite: true,
      min_length: num(v.min_samples, 1),
      description: 'series hold finite numbers',
    };
    const inputs: InputRule[] = [series];
    const mean = v.baseline_mean;
    const std = v.baseline_std;
    if (typeof mean === 'number' && typeof std === 'number') {
      const k = num(v.drift_threshold, 3);
      inputs.push({ ...series, items_finite: undefined, min_length: undefined, mean_min: mean - k * std, mean_max: mean + k * std, description: `mean within ${k} baseline standard deviations of ${mean} (drift)` });
    }
    return {
      inputs,
      outputs: [
        { finite: true, description: 'metrics must be finite' },
        { field: 'confidence', type: 'number', min: 0, max: 1, description: 'confidence lies in [0, 1]' },
        { field: 'accuracy', type: 'number', min: 0, max: 1, description: 'accuracy lies in [0, 1]' },
      ],
    };
  },
};
