import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { readSettings, restartNeeded, sectionGetter, settingsConfigLayer, settingsSection } from '../../shared/settings';
import { backendEnv } from '../../extension/backend/env';

const from = (values: Record<string, unknown>) => (k: string) => values[k];

describe('extension settings mapping', () => {
  it('reads the defaults when nothing is set', () => {
    const { settings, issues } = readSettings(from({}));
    assert.deepEqual(issues, []);
    assert.deepEqual(settings, {
      servicePort: 0,
      serviceUrl: '',
      defaultDomain: '',
      retries: 2,
      timeout: 30,
      codeLens: 'decorated',
      autoTrain: false,
      llm: { provider: '', model: '', endpoint: '' },
      danaPath: '',
    });
  });

  it('reads set values and trims the URL', () => {
    const { settings, issues } = readSettings(
      from({ 'service.port': 8123, 'service.url': 'https://poet.example.com/api/', defaultDomain: 'financial_services', retries: 5, timeout: 2.5, codeLens: 'all', autoTrain: true, 'dana.path': ' /opt/dana/bin/dana ' }),
    );
    assert.deepEqual(issues, []);
    assert.equal(settings.servicePort, 8123);
    assert.equal(settings.serviceUrl, 'https://poet.example.com/api');
    assert.equal(settings.retries, 5);
    assert.equal(settings.timeout, 2.5);
    assert.equal(settings.codeLens, 'all');
    assert.equal(settings.autoTrain, true);
    assert.equal(settings.danaPath, '/opt/dana/bin/dana');
  });

  it('validates retries and timeout with the shared POETConfig rules and names the setting', () => {
    const { settings, issues } = readSettings(from({ retries: 11, timeout: 0 }));
    assert.equal(settings.retries, 2);
    assert.equal(settings.timeout, 30);
    const keys = issues.map((i) => i.key).sort();
    assert.deepEqual(keys, ['poet.retries', 'poet.timeout']);
    assert.match(issues.find((i) => i.key === 'poet.retries')!.message, /"poet\.retries".*using 2/);
    // A fractional retries count is an integer error, not silently rounded.
    assert.equal(readSettings(from({ retries: 1.5 })).issues[0]?.key, 'poet.retries');
  });

  it('rejects a bad port, URL and CodeLens mode with what it used instead', () => {
    const { settings, issues } = readSettings(from({ 'service.port': 70000, 'service.url': 'ftp://x', codeLens: 'everywhere', autoTrain: 'yes' }));
    assert.equal(settings.servicePort, 0);
    assert.equal(settings.serviceUrl, '');
    assert.equal(settings.codeLens, 'decorated');
    assert.equal(settings.autoTrain, false);
    assert.deepEqual(issues.map((i) => i.key), ['poet.service.port', 'poet.service.url', 'poet.codeLens', 'poet.autoTrain']);
    assert.match(issues[0]!.message, /0 to 65535.*using 0/);
    assert.match(issues[1]!.message, /http\(s\) URL.*bundled service/);
  });

  it('sends only settings the decorator does not give, and only when they differ from the defaults', () => {
    const { settings } = readSettings(from({ defaultDomain: 'llm', retries: 4, timeout: 30 }));
    assert.deepEqual(settingsConfigLayer(settings), { domain: 'llm', retries: 4 });
    // The function's own @poet(retries=1) wins over the setting: the setting is not sent.
    assert.deepEqual(settingsConfigLayer(settings, { retries: 1 }), { domain: 'llm' });
    assert.deepEqual(settingsConfigLayer(settings, { domain: 'financial_services', retries: 1 }), {});
    assert.deepEqual(settingsConfigLayer(readSettings(from({})).settings), {});
    assert.deepEqual(settingsConfigLayer(readSettings(from({ autoTrain: true })).settings), { enable_training: true });
  });

  it('gives the language server its settings and the backend its environment (never a token)', () => {
    const { settings } = readSettings(from({ 'service.port': 9000, codeLens: 'off', defaultDomain: '', 'llm.provider': 'openai', 'llm.model': 'm' }));
    // The language server reads the same section, nested as workspace/configuration returns it.
    const get = from({ 'service.port': 9000, codeLens: 'off', defaultDomain: '', 'llm.provider': 'openai', 'llm.model': 'm' });
    assert.deepEqual(settingsSection(get), { service: { port: 9000 }, codeLens: 'off', defaultDomain: '', llm: { provider: 'openai', model: 'm' } });
    assert.deepEqual(readSettings(sectionGetter(settingsSection(get))), readSettings(get));
    const env = backendEnv(settings);
    assert.deepEqual(env, { POET_PORT: '9000', POET_LLM_PROVIDER: 'openai', POET_LLM_MODEL: 'm' });
    assert.ok(!Object.keys(env).some((k) => /KEY|TOKEN/.test(k)));
  });

  it('lists the changed settings that need a restart', () => {
    const changed = new Set(['poet.service.port', 'poet.codeLens']);
    assert.deepEqual(restartNeeded((k) => changed.has(k)), ['poet.service.port']);
    assert.deepEqual(restartNeeded(() => false), []);
  });
});
