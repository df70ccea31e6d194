// `poet build FILE.na`: the program composed with its enhanced functions, for running Dana yourself.
import { delimiter } from 'node:path';
import { EXIT, type Command } from '../command';
import { prepare } from '../run/prepare';

const USAGE = 'Usage: poet build FILE.na [--workspace DIR] [--enhance]';

export const build: Command = {
  name: 'build',
  summary: 'write a Dana program composed with its enhanced functions under .dana/poet/build/ and print its path',
  usage: [
    USAGE,
    '',
    'Composes FILE and every Dana module it imports from the workspace with the current version of',
    'each enhanced function (the originals without their @poet decorators, each enhanced function in',
    'place of its original) and writes them under WORKSPACE/.dana/poet/build/, which mirrors the',
    "program's folder. Prints the composed program's path on stdout; run it with",
    '.dana/poet/runtime/dana on DANAPATH (printed on stderr). A @poet function without a version',
    'generated from its current text is named in a warning and stays as written.',
    '',
    'Options:',
    '  --workspace DIR   the folder that holds .dana/poet/ (default: the current directory)',
    '  --enhance         enhance such functions first (a new version each)',
    '',
    'Exit status: 0 written, 1 a file has syntax errors, 2 bad usage or unreadable FILE.',
  ].join('\n'),
  async run(args) {
    const { build: b, display } = await prepare('build', args, USAGE);
    process.stdout.write(`${display(b.entry.built)}\n`);
    process.stderr.write(`poet build: run it with DANAPATH=${display(b.runtimeDir)}${process.env.DANAPATH ? `${delimiter}$DANAPATH` : ''} dana ${display(b.entry.built)}\n`);
    return EXIT.ok;
  },
};
