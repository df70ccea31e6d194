// data_processing: ETL and batch steps (Dana's own framework names this domain). Sizes and limits
// are positive whole numbers, names and paths real text, rates fractions; results never report
// negative counts, and quality measures (completeness, null and error rates) lie in [0, 1].
import { z } from 'zod';
import { num, type DomainDefinition } from './types';

export const data_processing: DomainDefinition = {
  name: 'data_processing',
  description: 'Batch sizes and limits positive, names and paths non-empty without control characters, rates in [0, 1]; no negative counts and quality rates in [0, 1] in results.',
  origin: 'builtin',
  params: {
    max_batch_size: { schema: z.number().int().positive(), default: 10_000_000, description: 'Largest batch size, page size or limit accepted.' },
  },
  learnableParams: [
    { key: 'timeout', min: 1, max: 600, default: 60, description: 'Seconds per attempt (batches can be slow).' },
    { key: 'retries', min: 0, max: 5, default: 3, description: 'Extra attempts after a transient failure.' },
  ],
  rules(v) {
    return {
      inputs: [
        {
          params: ['*batch_size*', '*chunk_size*', '*page_size*', 'limit', '*_limit', '*workers*', '*parallelism*'],
          normalize: ['number'],
          type: 'integer',
          min: 1,
          max: num(v.max_batch_size, 10_000_000),
          description: 'sizes and limits are positive whole numbers',
        },
        {
          params: ['*path*', '*file*', '*filename*', '*uri*', '*table*', 'column', '*_column', 'field', '*_field'],
          when_type: ['string'],
          non_empty: true,
          no_control_chars: true,
          description: 'names and paths are non-empty text without control characters',
        },
        {
          params: ['*ratio*', '*fraction*', '*sample_rate*', '*sampling_rate*', '*null_rate*', '*error_rate*'],
          normalize: ['ratio'],
          type: 'number',
          min: 0,
          max: 1,
          description: 'rates are fractions in [0, 1] (write "5%" for a percentage)',
        },
      ],
      outputs: [
        { finite: true, description: 'numeric results must be finite' },
        { functions: ['*count*', 'num_*', '*_total'], min: 0, description: 'counts are not negative' },
        ...['count', 'rows', 'processed', 'failed', 'skipped', 'written'].map((field) => ({ field, min: 0, description: 'counts are not negative' })),
        ...['completeness', 'null_rate', 'error_rate', 'duplicate_rate'].map((field) => ({ field, min: 0, max: 1, description: 'quality rates lie in [0, 1]' })),
      ],
    };
  },
};
