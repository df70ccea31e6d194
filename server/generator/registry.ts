// One generator per language; the service, the CLI and the tests look them up here.
import { PoetError } from '../../shared/contract/errors';
import type { Language } from '../../shared/source/model';
import { danaGenerator } from './dana/index';
import { pythonGenerator } from './python/index';
import type { Generator } from './types';

export const GENERATORS: Readonly<Record<Language, Generator>> = Object.freeze({
  dana: danaGenerator,
  python: pythonGenerator,
});

export function generatorFor(language: Language): Generator {
  const g = (GENERATORS as Record<string, Generator | undefined>)[language];
  if (!g) throw new PoetError('invalid_request', `No generator for language "${String(language)}". Supported: ${Object.keys(GENERATORS).join(', ')}.`);
  return g;
}
