// Bundles the extension-host suite (test/vscode/suite) into one CommonJS file with esbuild:
// mocha bundled in, `vscode` left to the extension host. Every suite/*.test.ts is loaded through
// the virtual module '@poet-vscode/suite-tests', in file-name order, so adding a test file needs
// no registration.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const suiteDir = join(__dirname, '..', 'suite');

const suiteTests: esbuild.Plugin = {
  name: 'poet-suite-tests',
  setup(build) {
    build.onResolve({ filter: /^@poet-vscode\/suite-tests$/ }, () => ({ path: 'suite-tests', namespace: 'poet' }));
    build.onLoad({ filter: /.*/, namespace: 'poet' }, () => {
      const files = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort();
      return {
        contents: files.map((f) => `require(${JSON.stringify(join(suiteDir, f))});`).join('\n'),
        loader: 'js',
        resolveDir: suiteDir,
      };
    });
  },
};

/** Writes the bundle to outFile and returns the number of test files in it. */
export async function bundleSuite(outFile: string): Promise<number> {
  await esbuild.build({
    entryPoints: [join(suiteDir, 'index.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    plugins: [suiteTests],
    logLevel: 'warning',
    // mocha's parallel mode resolves worker files at run time; the suite runs serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).length;
}
