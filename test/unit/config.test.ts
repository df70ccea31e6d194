import assert from 'node:assert/strict';
import { z } from 'zod';
import { resolveConfig, canonicalJson, DEFAULT_CONFIG, type ConfigContext } from '../../shared/config';

const ctx: ConfigContext = {
  domain: (name) => (name === 'financial_services' ? { params: { max_rate: z.number().min(0).max(1) } } : undefined),
  domainNames: () => ['computation', 'financial_services'],
};

describe('POETConfig resolution', () => {
  it('fills defaults and overlays layers left to right', () => {
    const r = resolveConfig([{ retries: 1, timeout: 5 }, { retries: 4 }], ctx);
    assert.ok(r.ok);
    assert.equal(r.config.retries, 4);
    assert.equal(r.config.timeout, 5);
    assert.deepEqual(r.config.backoff, DEFAULT_CONFIG.backoff);
  });

  it('merges a partial backoff key by key', () => {
    const r = resolveConfig([{ backoff: { initial_s: 1 } }], ctx);
    assert.ok(r.ok);
    assert.equal(r.config.backoff.initial_s, 1);
    assert.equal(r.config.backoff.multiplier, DEFAULT_CONFIG.backoff.multiplier);
  });

  it('names each unknown key with a suggestion', () => {
    const r = resolveConfig([{ retrys: 3, timout: 2 }], ctx);
    assert.ok(!r.ok);
    assert.deepEqual(r.issues.map((i) => i.key).sort(), ['retrys', 'timout']);
    assert.match(r.issues.find((i) => i.key === 'retrys')!.message, /Did you mean "retries"/);
  });

  it('rejects out-of-range and wrongly typed values', () => {
    const r = resolveConfig([{ retries: 11, timeout: 'soon', fallback: 'ignore' }], ctx);
    assert.ok(!r.ok);
    assert.deepEqual(r.issues.map((i) => i.key).sort(), ['fallback', 'retries', 'timeout']);
  });

  it('accepts a domain it does not know, with a warning that names the closest one and how to define it', () => {
    const r = resolveConfig([{ domain: 'financial_service' }], ctx);
    assert.ok(r.ok);
    assert.equal(r.config.domain, 'financial_service');
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]!.suggestion, 'financial_services');
    assert.match(r.warnings[0]!.message, /^Unknown domain "financial_service": enhanced with the general rules only .* The closest known domain is "financial_services"\. To define "financial_service", write \.dana\/poet\/domains\/financial_service\.json/);
    // Its keys are still checked: an unknown key stays an error.
    const bad = resolveConfig([{ domain: 'string_processing', max_len: 3 }], ctx);
    assert.ok(!bad.ok);
    assert.deepEqual(bad.issues.map((i) => i.key), ['max_len']);
    assert.match(bad.warnings[0]!.message, /Unknown domain "string_processing"/);
  });

  it('accepts a domain key only under that domain', () => {
    const ok = resolveConfig([{ domain: 'financial_services', max_rate: 0.3 }], ctx);
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.domain_params, { max_rate: 0.3 });
    const bad = resolveConfig([{ max_rate: 0.3 }], ctx);
    assert.ok(!bad.ok);
  });

  it('serialises canonically regardless of key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null } }), canonicalJson({ a: { c: null, d: [1, { e: 1, f: 2 }] }, b: 1 }));
  });
});
