// The generator and domain registries: lookup, unknown names, composition, user-defined JSON
// domains (validated, with errors naming the file and the field), learnable parameters.
import assert from 'node:assert/strict';
import { resolveConfig } from '../../shared/config';
import { PoetError } from '../../shared/contract/errors';
import type { Language } from '../../shared/source/model';
import { BUILTIN_DOMAINS, domainConfigContext, domainNames, getDomain, learnableParams } from '../../server/generator/domains/index';
import { GENERATORS, generatorFor } from '../../server/generator/registry';
import { enhancedScript, generate, install, lines, python, tempWorkspace, write } from './helpers';

describe('generator registry', () => {
  it('serves python and dana, and rejects other languages with invalid_request', () => {
    assert.equal(generatorFor('python').language, 'python');
    assert.equal(generatorFor('dana').language, 'dana');
    assert.deepEqual(Object.keys(GENERATORS).sort(), ['dana', 'python']);
    assert.throws(() => generatorFor('cobol' as Language), (e: unknown) => e instanceof PoetError && e.code === 'invalid_request' && /Supported: dana, python/.test(e.message));
  });
});

describe('domain registry', () => {
  it('lists the ten built-ins, each with rules and learnable parameters', () => {
    assert.deepEqual(domainNames().slice(0, 10), [
      'computation', 'financial_services', 'building_management', 'llm_optimization', 'ml_monitoring', 'healthcare', 'semiconductor',
      'data_processing', 'retail_ecommerce', 'security',
    ]);
    for (const d of BUILTIN_DOMAINS) {
      assert.ok(d.learnableParams.length > 0, d.name);
      for (const l of d.learnableParams) assert.ok(l.min <= l.default && l.default <= l.max, `${d.name}.${l.key}`);
    }
    assert.deepEqual(learnableParams('building_management').map((l) => l.key), ['timeout', 'exclusive_threshold']);
    assert.deepEqual(learnableParams(null), []);
  });

  it('resolves domain keys through resolveConfig, with did-you-mean for unknown keys and a warning for unknown domains', () => {
    const ctx = domainConfigContext();
    const ok = resolveConfig([{ domain: 'financial_services', max_rate: 25 }], ctx);
    assert.ok(ok.ok && ok.config.domain_params.max_rate === 25);
    const typo = resolveConfig([{ domain: 'financial_service' }], ctx);
    assert.ok(typo.ok && /closest known domain is "financial_services"/.test(typo.warnings[0]!.message));
    const half = resolveConfig([{ domain: 'computation:nope', max_magnitude: 10 }], ctx);
    assert.ok(half.ok, 'the known part keeps its keys');
    assert.deepEqual(half.warnings.map((w) => w.message.slice(0, 23)), ['Unknown domain "nope": ']);
    const badKey = resolveConfig([{ domain: 'financial_services', max_rat: 25 }], ctx);
    assert.ok(!badKey.ok && /Did you mean "max_rate"\?/.test(badKey.issues[0]!.message));
    const badValue = resolveConfig([{ domain: 'building_management', temperature_unit: 'K' }], ctx);
    assert.ok(!badValue.ok && badValue.issues[0]!.key === 'temperature_unit');
    const composed = resolveConfig([{ domain: 'computation:financial_services', max_magnitude: 1e6, max_rate: 20 }], ctx);
    assert.ok(composed.ok, JSON.stringify(composed));
    assert.equal(getDomain('finance')?.name, 'financial_services');
    assert.equal(getDomain('computation:nope'), undefined);
  });

  it('loads user-defined JSON domains, with extends, and uses their rules in generated code', async function () {
    this.timeout(30_000);
    const ws = tempWorkspace();
    write(ws, '.dana/poet/domains/retail.json', JSON.stringify({
      description: 'Shop orders',
      extends: 'computation',
      inputs: [
        { params: ['sku'], type: 'string', pattern: '[A-Z]{3}-[0-9]{4}', description: 'SKUs look like ABC-1234' },
        { params: ['*qty*', 'quantity'], normalize: ['number'], type: 'integer', min: 1, max: 1000 },
        { params: ['channel'], normalize: ['strip', 'lower'], enum: ['web', 'store'] },
      ],
      outputs: [{ min: 0, description: 'totals are not negative' }],
    }));
    assert.ok(domainNames(ws).includes('retail'));
    const text = 'def order_total(sku: str, qty: int, unit_price: float, channel: str = "web") -> float:\n    return qty * unit_price - (5.0 if sku == "NEG-0000" else 0.0) * 1000\n';
    write(ws, 'shop.py', text);
    install(ws, 'order_total', 'v1', await generate({ ws, file: 'shop.py', text, language: 'python', config: { domain: 'retail' } }));
    const out = lines(await python(ws, enhancedScript('order_total', 'v1', [
      'err(e.order_total, "ABC-1234", "3", 2.5, " Web ")',
      'err(e.order_total, "abc", 3, 2.5)',
      'err(e.order_total, "ABC-1234", 0, 2.5)',
      'err(e.order_total, "ABC-1234", 3, 2.5, "phone")',
      'err(e.order_total, "ABC-1234", 3, float("inf"))',
      'err(e.order_total, "NEG-0000", 1, 1.0)',
    ].join('\n')))) as Array<Record<string, unknown>>;
    assert.deepEqual(out[0], { ok: 7.5 });
    assert.match(String(out[1]!.message), /parameter 'sku' = 'abc': must match \/\[A-Z\]\{3\}-\[0-9\]\{4\}\/ \(retail: SKUs look like ABC-1234\)/);
    assert.match(String(out[2]!.message), /parameter 'qty' = 0: must be at least 1 \(retail\)/);
    assert.match(String(out[3]!.message), /parameter 'channel' = 'phone': must be one of 'web', 'store'/);
    assert.match(String(out[4]!.message), /must be a finite number \(computation:/);
    assert.equal(out[5]!.error, 'EnforceError');
    assert.match(String(out[5]!.message), /result -4999.0: must be at least 0 \(retail: totals are not negative\)/);
  });

  it('names the file and the field when a user domain is invalid', () => {
    const ws = tempWorkspace();
    write(ws, '.dana/poet/domains/broken.json', JSON.stringify({ inputs: [{ params: ['x'], min: 'low' }] }));
    write(ws, '.dana/poet/domains/notjson.json', '{ nope');
    write(ws, '.dana/poet/domains/cyclic.json', JSON.stringify({ extends: 'cyclic2' }));
    write(ws, '.dana/poet/domains/cyclic2.json', JSON.stringify({ extends: 'cyclic' }));
    write(ws, '.dana/poet/domains/badnorm.json', JSON.stringify({ inputs: [{ params: ['x'], normalize: ['money', 'magic'] }] }));
    const err = (name: string) => {
      try {
        getDomain(name, ws);
      } catch (e) {
        assert.ok(e instanceof PoetError && e.code === 'invalid_request');
        return e.message;
      }
      return 'no error';
    };
    assert.match(err('broken'), /^\.dana\/poet\/domains\/broken\.json: field "inputs\[0\]\.min": /);
    assert.match(err('notjson'), /^\.dana\/poet\/domains\/notjson\.json: not valid JSON/);
    assert.match(err('cyclic'), /cyclic\d?\.json: field "extends": "cyclic2?" makes a cycle/);
    assert.match(err('badnorm'), /badnorm\.json: field "inputs\[0\]\.normalize\[1\]"/);
    // resolveConfig surfaces the same error (the service turns it into a 400).
    assert.throws(() => resolveConfig([{ domain: 'broken' }], domainConfigContext(ws)), /broken\.json: field "inputs\[0\]\.min"/);
  });
});
