import { GENERATOR_VERSION } from '../common';
import type { Generator } from '../types';
import { withLlmRules } from '../llm/assist';
import { generateDana } from './generate';
import { danaRuntimeFiles } from '../runtime-files';

export const danaGenerator: Generator = {
  language: 'dana',
  name: 'poet-dana',
  // The runtime's hash is part of the version, so editing the runtime regenerates cached versions.
  get version() {
    return `${GENERATOR_VERSION}+${danaRuntimeFiles().module.module.slice(-12)}`;
  },
  generate: (req) => withLlmRules(req, (extra) => generateDana(req, extra)),
};
