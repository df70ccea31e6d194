import { GENERATOR_VERSION } from '../common';
import type { Generator } from '../types';
import { withLlmRules } from '../llm/assist';
import { generatePython } from './generate';

export const pythonGenerator: Generator = {
  language: 'python',
  name: 'poet-python',
  version: GENERATOR_VERSION,
  generate: (req) => withLlmRules(req, (extra) => generatePython(req, extra)),
};
