// The manifest's contributions agree with shared/ids.ts and with the files they point to:
// a renamed command, view, context key or setting cannot leave a dead menu entry behind.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { z } from 'zod';
import { readSettings, SETTINGS } from '../../shared/settings';
import { CATEGORY, Commands, ContextKeys, LANGUAGE_ID, RESTART_SETTINGS, Settings, TreeContext, Views } from '../../shared/ids';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const c = pkg.contributes;

type MenuEntry = { command: string; when?: string; group?: string };
const allMenuEntries = (): MenuEntry[] => Object.values(c.menus as Record<string, MenuEntry[]>).flat();

describe('extension manifest', () => {
  it('contributes exactly the commands in shared/ids.ts, each in the POET category', () => {
    const contributed = (c.commands as Array<{ command: string; title: string; category: string }>).map((x) => x.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const cmd of c.commands) {
      assert.equal(cmd.category, CATEGORY, cmd.command);
      // VS Code style: Title Case words, no trailing period, no category repeated in the title.
      assert.match(cmd.title, /^[A-Z][A-Za-z]*( [A-Za-z]+)*$/, cmd.title);
      assert.doesNotMatch(cmd.title, /POET/, cmd.title);
    }
  });

  it('uses only known commands, views, context keys and tree contextValues in menus', () => {
    const commands = new Set<string>(Object.values(Commands));
    const keys = new Set<string>(Object.values(ContextKeys));
    const values = new Set<string>(Object.values(TreeContext));
    for (const e of allMenuEntries()) {
      assert.ok(commands.has(e.command), `menu entry for unknown command ${e.command}`);
      const when = e.when ?? '';
      for (const k of when.match(/poet:[A-Za-z]+/g) ?? []) assert.ok(keys.has(k), `unknown context key ${k} in "${when}"`);
      for (const v of when.match(/view == ([\w.]+)/g) ?? []) assert.equal(v.slice(8), Views.functions, when);
      for (const v of when.match(/viewItem == ([\w.]+)/g) ?? []) assert.ok(values.has(v.slice(12)), `unknown contextValue in "${when}"`);
      const re = when.match(/viewItem =~ \/(.+?)\//);
      if (re) assert.ok([...values].some((v) => new RegExp(re[1]!).test(v)), `no contextValue matches ${re[1]}`);
    }
  });

  it('hides the commands that need an argument from the palette, and the learning ones until a function is enhanced', () => {
    const palette = new Map((c.menus.commandPalette as MenuEntry[]).map((e) => [e.command, e.when]));
    assert.equal(palette.get(Commands.revealSource), 'false');
    assert.equal(palette.get(Commands.openStoredFile), 'false');
    for (const cmd of [Commands.giveFeedback, Commands.trainNow, Commands.showMetrics]) assert.equal(palette.get(cmd), 'poet:hasFunctions', cmd);
  });

  it('offers Run File with Enhancements for .na files in the editor title, editor and explorer menus, with its task type', () => {
    for (const menu of ['editor/title/run', 'editor/context', 'explorer/context']) {
      const entry = (c.menus[menu] as MenuEntry[]).find((e) => e.command === Commands.runFile);
      assert.match(entry?.when ?? '', /resourceExtname == \.na/, menu);
    }
    assert.deepEqual((c.taskDefinitions as Array<{ type: string }>).map((t) => t.type), ['poet-run']);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`poet.${Settings.danaPath}`), 'an interpreter path from an untrusted workspace is ignored');
  });

  it('offers Enhance Function in the editor context menu of .na and .py files inside a function', () => {
    const entry = (c.menus['editor/context'] as MenuEntry[]).find((e) => e.command === Commands.enhanceFunction)!;
    assert.match(entry.when!, /poet:cursorInFunction/);
    assert.match(entry.when!, /\.na/);
    assert.match(entry.when!, /\.py/);
  });

  it('has the POET view container, the Functions view and its welcome content', () => {
    assert.equal(c.viewsContainers.activitybar[0].id, Views.container);
    assert.ok(existsSync(join(root, c.viewsContainers.activitybar[0].icon)));
    assert.equal(c.views[Views.container][0].id, Views.functions);
    const welcome = (c.viewsWelcome as Array<{ view: string; contents: string }>).filter((w) => w.view === Views.functions);
    assert.ok(welcome.some((w) => w.contents.includes(`(command:${Commands.enhanceFunction})`)));
  });

  it('declares every setting in shared/ids.ts with a description, and nothing else', () => {
    const props = c.configuration.properties as Record<string, { markdownDescription?: string; description?: string }>;
    const names = Object.values(Settings).filter((s) => s !== Settings.section).map((s) => `poet.${s}`).sort();
    assert.deepEqual(Object.keys(props).sort(), names);
    for (const [k, v] of Object.entries(props)) assert.ok((v.markdownDescription ?? v.description ?? '').length > 20, `${k} needs a description`);
    for (const k of RESTART_SETTINGS) assert.match(props[`poet.${k}`]!.markdownDescription!, /restart/i, k);
  });

  it('declares each setting with the type, default, range, choices and pattern of shared/settings.ts', () => {
    const props = c.configuration.properties as Record<string, Record<string, unknown>>;
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const declared = props[`poet.${key}`];
      assert.ok(declared, `poet.${key} is not in package.json`);
      assert.deepEqual(declared.default, spec.default, `poet.${key}: default`);
      const schema = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      for (const facet of ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'enum'] as const) {
        assert.deepEqual(declared[facet], schema[facet], `poet.${key}: ${facet}`);
      }
      // Compared as regular expressions: zod escapes "/" in its source, package.json need not.
      const pattern = (p: unknown) => (typeof p === 'string' ? new RegExp(p, 'u').source : p);
      assert.equal(pattern(declared.pattern), pattern(schema.pattern), `poet.${key}: pattern`);
      assert.deepEqual(readSettings((k) => (k === key ? declared.default : undefined)).issues, [], `poet.${key}: its default is valid`);
    }
  });

  it('gives no setting a default its own schema rejects (the Settings editor would flag an untouched value)', () => {
    const props = c.configuration.properties as Record<string, { type: string; default: unknown; format?: string; pattern?: string; patternErrorMessage?: string; enum?: unknown[]; minimum?: number; maximum?: number }>;
    for (const [k, v] of Object.entries(props)) {
      // VS Code's "uri" format check fails on '' ("URI expected"): an optional URL needs a pattern instead.
      assert.equal(v.format, undefined, `${k} declares format "${v.format}"`);
      if (v.type === 'string') assert.equal(typeof v.default, 'string', k);
      if (v.pattern !== undefined) {
        assert.match(String(v.default), new RegExp(v.pattern, 'u'), `${k}: the default does not match its pattern`);
        assert.ok((v.patternErrorMessage ?? '').length > 10, `${k}: a pattern needs a patternErrorMessage`);
      }
      if (v.enum) assert.ok(v.enum.includes(v.default), k);
      if (typeof v.default === 'number') assert.ok(v.default >= (v.minimum ?? -Infinity) && v.default <= (v.maximum ?? Infinity), k);
    }
  });

  it('accepts exactly the service URLs the extension uses, in the Settings editor too', () => {
    const pattern = new RegExp(c.configuration.properties['poet.service.url'].pattern as string, 'u');
    for (const url of ['', 'https://poet.example.com', 'http://127.0.0.1:8080/poet', 'poet.example.com', 'ftp://poet.example.com', 'https://', 'https://poet example']) {
      const { issues } = readSettings((key) => (key === Settings.serviceUrl ? url : undefined));
      assert.equal(pattern.test(url), issues.length === 0, `"${url}": pattern ${pattern.test(url) ? 'accepts' : 'rejects'} it, the extension ${issues.length ? 'rejects' : 'accepts'} it`);
    }
  });

  it('contributes the Dana language and grammar with the files present', () => {
    assert.equal(c.languages[0].id, LANGUAGE_ID);
    assert.deepEqual(c.languages[0].extensions, ['.na']);
    assert.deepEqual(c.languages[0].aliases, ['Dana', 'dana']);
    assert.equal(c.grammars[0].scopeName, 'source.dana');
    assert.ok(existsSync(join(root, c.languages[0].configuration)), c.languages[0].configuration);
    assert.ok(existsSync(join(root, c.grammars[0].path)), c.grammars[0].path);
  });

  it('activates lazily, declares trust and virtual-workspace support, and points main at the bundle', () => {
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(pkg.activationEvents.includes('onLanguage:dana'));
    assert.ok(pkg.activationEvents.includes('onLanguage:python'));
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(existsSync(join(root, pkg.icon)));
  });

  it('ships only what the extension needs (.vscodeignore)', () => {
    const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**', 'everything is excluded first');
    const shipped = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    for (const p of shipped) assert.doesNotMatch(p, /\.map$|\.ts$|^test|node_modules/, p);
    assert.ok(shipped.includes('dist/extension.js') && shipped.includes('dist/extension-lazy.js') && shipped.includes('dist/server.js'));
    assert.ok(shipped.includes('dist/parse-worker.js'), 'the service parses big texts in this worker (server/service/parser.ts)');
    assert.ok(shipped.includes(c.grammars[0].path.replace(/^\.\//, '')));
    // Every runtime source the generator reads at run time (server/generator/runtime-files.ts).
    const runtimeSources = [...readFileSync(join(root, 'server/generator/runtime-files.ts'), 'utf8').matchAll(/\bread\('([^']+)'\)/g)].map((m) => m[1]!);
    assert.ok(runtimeSources.length >= 3, `found ${runtimeSources.join(', ')} in runtime-files.ts`);
    for (const f of runtimeSources) {
      assert.ok(shipped.includes(f), `${f} is read at run time but not shipped`);
      assert.ok(existsSync(join(root, f)), f);
    }
  });
});
