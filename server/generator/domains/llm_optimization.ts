// llm_optimization: prompts must be real text (non-empty, bounded, no control characters);
// responses must be non-empty and not suspiciously short; a structured return type means the
// response is parsed as JSON.
import { z } from 'zod';
import type { OutputRule } from '../rules/schema';
import { num, type DomainDefinition } from './types';

const STRUCTURED = /^(dict|list|Dict|List|Mapping|Sequence|tuple|Tuple)\b|^dict\[|^list\[/;

export const llm_optimization: DomainDefinition = {
  name: 'llm_optimization',
  description: 'Prompts non-empty, bounded and free of control characters; responses non-empty and not suspiciously short; JSON parsed for structured return types.',
  origin: 'builtin',
  params: {
    max_prompt_length: { schema: z.number().int().positive(), default: 50000, description: 'Longest prompt accepted (characters).' },
    min_response_length: { schema: z.number().int().min(0), default: 2, description: 'Shortest response accepted (characters, after trimming).' },
  },
  // LLM clients' rate limits and server-side hiccups pass with time; retry them like timeouts.
  retryOn: ['RateLimitError', 'APIConnectionError', 'APITimeoutError', 'InternalServerError', 'ServiceUnavailableError', 'OverloadedError'],
  learnableParams: [
    { key: 'timeout', min: 10, max: 180, default: 45, description: 'Seconds per attempt.' },
    { key: 'retries', min: 0, max: 5, default: 3, description: 'Extra attempts after a transient failure.' },
    { key: 'min_response_length', min: 0, max: 200, default: 2, description: 'Shortest acceptable response.' },
  ],
  rules(v, fn) {
    const structured = fn.return_type !== null && STRUCTURED.test(fn.return_type.trim());
    const outputs: OutputRule[] = structured
      ? [{ parse_json: true, description: 'structured return type: the response is parsed as JSON' }]
      : [{ type: 'string', non_empty: true, min_length: num(v.min_response_length, 2), description: 'responses are non-empty and not suspiciously short' }];
    return {
      inputs: [
        {
          params: ['*prompt*', '*question*', '*query*', 'text', '*instruction*', '*message*'],
          type: 'string',
          non_empty: true,
          max_length: num(v.max_prompt_length, 50000),
          no_control_chars: true,
          description: 'prompts are non-empty text without control characters',
        },
        { params: ['*context*'], type: 'string', max_length: 100000, no_control_chars: true, description: 'context is bounded text' },
        { params: ['*temperature*'], type: 'number', min: 0, max: 2, description: 'sampling temperature lies in [0, 2]' },
        { params: ['*max_tokens*'], type: 'integer', min: 1, max: 1000000, description: 'token limits are positive' },
      ],
      outputs,
    };
  },
};
