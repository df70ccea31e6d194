import { GENERATOR_VERSION } from '../common';
import type { Generator } from '../types';
import { withLlmRules } from '../llm/assist';
import { generateDana } from './generate';

export const danaGenerator: Generator = {
  language: 'dana',
  name: 'poet-dana',
  version: GENERATOR_VERSION,
  generate: (req) => withLlmRules(req, (extra) => generateDana(req, extra)),
};
