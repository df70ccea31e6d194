import { GENERATOR_VERSION } from '../common';
import type { Generator } from '../types';
import { withLlmRules } from '../llm/assist';
import { pythonRuntimeFile } from '../runtime-files';
import { generatePython } from './generate';

export const pythonGenerator: Generator = {
  language: 'python',
  name: 'poet-python',
  // The runtime's hash is part of the version, so editing the runtime regenerates cached versions.
  get version() {
    return `${GENERATOR_VERSION}+${pythonRuntimeFile().module.slice(-12)}`;
  },
  generate: (req) => withLlmRules(req, (extra) => generatePython(req, extra)),
};
