// Each built-in domain, run through generated Python: normalisers turn text into numbers, invalid
// inputs raise PerceiveError with the rule's message, output rules raise EnforceError.
import assert from 'node:assert/strict';
import { enhancedScript, generate, install, lines, python, tempWorkspace, write } from './helpers';

type Row = Record<string, unknown>;

async function run(domain: string, text: string, name: string, body: string, config: Record<string, unknown> = {}): Promise<Row[]> {
  const ws = tempWorkspace();
  write(ws, 'mod.py', text);
  install(ws, name, 'v1', await generate({ ws, file: 'mod.py', text, language: 'python', name, config: { domain, ...config } }));
  return lines(await python(ws, enhancedScript(name, 'v1', body))) as Row[];
}

describe('domains, executed in generated Python', function () {
  this.timeout(60_000);

  it('financial_services normalises money, percentages, credit words and durations, and checks ranges and rates', async () => {
    const text = `def assess(credit_score: int, annual_income: float, debt_to_income: float, employment_years: float) -> dict:
    rate = 5.0 + (850 - credit_score) / 100.0
    return {"approved": annual_income > 30000, "interest_rate": rate, "inputs": [credit_score, annual_income, debt_to_income, employment_years]}


def quote_rate(credit_score: int) -> float:
    return 99.0
`;
    const out = await run('financial_services', text, 'assess', [
      'err(e.assess, "excellent", "$50,000", "25%", "30 months")',
      'err(e.assess, 700, "50K", 0.4, 3)',
      'err(e.assess, 720, "2.5M", 25, "5 years")',
      'err(e.assess, 720, "2.5M", 1.2, "5 years")',
      'err(e.assess, 900, 50000, 0.2, 1)',
      'err(e.assess, 700, "-$5", 0.2, 1)',
      'err(e.assess, 700, "lots", 0.2, 1)',
      'err(e.assess, 700, 50000, "150%", 1)',
    ].join('\n'));
    assert.deepEqual((out[0]!.ok as Row).inputs, [780, 50000.0, 0.25, 2.5]);
    assert.deepEqual((out[1]!.ok as Row).inputs, [700, 50000.0, 0.4, 3]);
    // A number is never rescaled: 25 is not read as 25%; it is out of range and rejected loudly.
    assert.match(String(out[2]!.message), /parameter 'debt_to_income' = 25: must be at most 10 \(financial_services: debt-to-income/);
    assert.deepEqual((out[3]!.ok as Row).inputs, [720, 2500000.0, 1.2, 5.0]);
    assert.equal(out[4]!.error, 'PerceiveError');
    assert.match(String(out[4]!.message), /parameter 'credit_score' = 900: must be at most 850 \(financial_services: credit scores/);
    assert.match(String(out[5]!.message), /parameter 'annual_income' = '-\$5': must be at least 0/);
    assert.equal(out[6]!.error, 'PerceiveTypeError');
    assert.match(String(out[6]!.message), /parameter 'annual_income' = 'lots': expected float, got str/);
    assert.deepEqual((out[7]!.ok as Row).inputs, [700, 50000, 1.5, 1], 'debt of 150% of income is real');

    const rate = await run('financial_services', text, 'quote_rate', 'err(e.quote_rate, 700)', { max_rate: 30 });
    assert.equal(rate[0]!.error, 'EnforceError');
    assert.match(String(rate[0]!.message), /result 99.0: must be at most 30 \(financial_services: interest rate/);
  });

  it('building_management reads temperatures with units, checks setpoints and never heats and cools at once', async () => {
    const text = `def control(current_temp: float, setpoint: float, occupancy: int) -> dict:
    error = setpoint - current_temp
    return {"heating": max(0.0, min(100.0, error * 10)), "cooling": 60.0 if occupancy > 99 else max(0.0, min(100.0, -error * 10)), "seen": [current_temp, setpoint, occupancy]}
`;
    const out = await run('building_management', text, 'control', [
      'err(e.control, "72°F", "70 F", "3")',
      'err(e.control, "22C", 72, 0)',
      'err(e.control, 70, 120, 1)',
      'err(e.control, 70, 75, -2)',
      'err(e.control, 60, 75, 100)',
    ].join('\n'));
    assert.deepEqual((out[0]!.ok as Row).seen, [72.0, 70.0, 3]);
    assert.deepEqual(((out[1]!.ok as Row).seen as number[])[0], 71.6);
    assert.match(String(out[2]!.message), /parameter 'setpoint' = 120: must be at most 90/);
    assert.match(String(out[3]!.message), /parameter 'occupancy' = -2: must be at least 0/);
    assert.equal(out[4]!.error, 'EnforceError');
    assert.match(String(out[4]!.message), /heating and cooling must not both exceed 10/);
  });

  it('llm_optimization rejects empty prompts and control characters, short answers, and parses JSON for structured returns', async () => {
    const text = `def answer(prompt: str) -> str:
    return "ok" if prompt == "short please" else "A long enough answer to: " + prompt


def extract(prompt: str) -> dict:
    return '{"name": "Ada", "n": 2}' if prompt != "broken" else "not json"
`;
    const out = await run('llm_optimization', text, 'answer', [
      'err(e.answer, "Explain POET")',
      'err(e.answer, "   ")',
      'err(e.answer, "bad\\x07bell")',
      'err(e.answer, "short please")',
    ].join('\n'), { min_response_length: 5 });
    assert.deepEqual(out[0], { ok: 'A long enough answer to: Explain POET' });
    assert.match(String(out[1]!.message), /parameter 'prompt' = ' {3}': must not be empty/);
    assert.match(String(out[2]!.message), /must not contain control characters/);
    assert.equal(out[3]!.error, 'EnforceError');
    assert.match(String(out[3]!.message), /length 2 is below the minimum 5/);
    const json = await run('llm_optimization', text, 'extract', 'err(e.extract, "who")\nerr(e.extract, "broken")');
    assert.deepEqual(json[0], { ok: { name: 'Ada', n: 2 } });
    assert.match(String(json[1]!.message), /result is not valid JSON/);
  });

  it('ml_monitoring rejects NaN in series and drift against the stored baseline', async () => {
    const text = `def score(values: list, threshold: float = 0.5) -> float:
    return sum(values) / len(values)
`;
    const out = await run('ml_monitoring', text, 'score', [
      'err(e.score, [1.0, 2.0, 3.0])',
      'err(e.score, [1.0, float("nan")])',
      'err(e.score, [])',
      'err(e.score, [50.0, 51.0])',
    ].join('\n'), { baseline_mean: 2, baseline_std: 1, drift_threshold: 3 });
    assert.deepEqual(out[0], { ok: 2.0 });
    assert.match(String(out[1]!.message), /item 1 \(nan\) must be a finite number/);
    assert.match(String(out[2]!.message), /length 0 is below the minimum 1/);
    assert.match(String(out[3]!.message), /mean 50.5 drifted outside \[-1, 5\]/);
  });

  it('healthcare normalises vital signs with units and rejects implausible values', async () => {
    const text = `def triage(heart_rate: int, body_temperature: float, spo2: float) -> dict:
    return {"risk": 0.9 if heart_rate > 120 else 0.1, "seen": [heart_rate, body_temperature, spo2]}
`;
    const out = await run('healthcare', text, 'triage', ['err(e.triage, "72 bpm", "37 C", "98%")', 'err(e.triage, 400, 98.6, 97)', 'err(e.triage, 80, "120 F", 97)'].join('\n'));
    assert.deepEqual((out[0]!.ok as Row).seen, [72, 98.6, 98]);
    assert.match(String(out[1]!.message), /parameter 'heart_rate' = 400: must be at most 300/);
    assert.match(String(out[2]!.message), /parameter 'body_temperature' = '120 F': must be at most 113/);
  });

  it('semiconductor enforces process limits and interlocks', async () => {
    const text = `def recipe(pressure: float, power: float, gas_flow: float) -> dict:
    return {"pressure": pressure, "power": power, "gas_flow": gas_flow}
`;
    const out = await run('semiconductor', text, 'recipe', ['err(e.recipe, "5 Torr", 1000, 50)', 'err(e.recipe, 20, 1000, 50)', 'err(e.recipe, 0.5, 2000, 50)', 'err(e.recipe, 5, 1200, 5)'].join('\n'));
    assert.deepEqual(out[0], { ok: { pressure: 5, power: 1000, gas_flow: 50 } });
    assert.match(String(out[1]!.message), /parameter 'pressure' = 20: must be at most 10/);
    assert.equal(out[2]!.error, 'EnforceError');
    assert.match(String(out[2]!.message), /power 2000 above 1500 needs pressure of at least 1/);
    assert.match(String(out[3]!.message), /parameter 'gas_flow' = 5|power 1200 above 1000 needs gas_flow of at least 10/);
  });

  it('data_processing checks sizes, names and rates, and the counts and rates a batch step reports', async () => {
    const text = `def load(path: str, batch_size: int = 500, sample_rate: float = 1.0) -> dict:
    if path == "bad.csv":
        return {"rows": -1, "completeness": 1.0}
    return {"rows": int(batch_size * sample_rate), "completeness": 1.0 if path != "gaps.csv" else 1.5}
`;
    const out = await run('data_processing', text, 'load', [
      'err(e.load, "in.csv", "200", "50%")',
      'err(e.load, "in.csv", 0)',
      'err(e.load, "", 10)',
      'err(e.load, "in.csv", 10, 2)',
      'err(e.load, "bad.csv", 10)',
      'err(e.load, "gaps.csv", 10)',
    ].join('\n'));
    assert.deepEqual(out[0], { ok: { rows: 100, completeness: 1.0 } });
    assert.match(String(out[1]!.message), /parameter 'batch_size' = 0: must be at least 1 \(data_processing: sizes and limits/);
    assert.match(String(out[2]!.message), /parameter 'path' = '': must not be empty/);
    assert.match(String(out[3]!.message), /parameter 'sample_rate' = 2: must be at most 1/);
    assert.equal(out[4]!.error, 'EnforceError');
    assert.match(String(out[4]!.message), /result field 'rows' = -1: must be at least 0/);
    assert.match(String(out[5]!.message), /result field 'completeness' = 1.5: must be at most 1/);
  });

  it('retail_ecommerce reads prices and rates from text and keeps quantities, ids and totals sane', async () => {
    const text = `def checkout(sku: str, unit_price: float, quantity: int, discount_rate: float = 0.0, currency: str = "USD") -> dict:
    total = unit_price * quantity * (1 - discount_rate)
    if sku == "REFUND":
        total = -total
    return {"sku": sku, "total": round(total, 2), "currency": currency}
`;
    const out = await run('retail_ecommerce', text, 'checkout', [
      'err(e.checkout, "A-1", "$19.99", "3", "10%", "eur")',
      'err(e.checkout, "A-1", 5, -2)',
      'err(e.checkout, "", 5, 1)',
      'err(e.checkout, "A-1", 5, 1, 0, "EURO")',
      'err(e.checkout, "REFUND", 5, 1)',
    ].join('\n'));
    assert.deepEqual(out[0], { ok: { sku: 'A-1', total: 53.97, currency: 'eur' } });
    assert.match(String(out[1]!.message), /parameter 'quantity' = -2: must be at least 0 \(retail_ecommerce: quantities/);
    assert.match(String(out[2]!.message), /parameter 'sku' = '': must not be empty/);
    assert.match(String(out[3]!.message), /parameter 'currency' = 'EURO': must match/);
    assert.equal(out[4]!.error, 'EnforceError');
    assert.match(String(out[4]!.message), /result field 'total' = -5.0: must be at least 0/);
  });

  it('security checks addresses, ports and user names, lets hostile payloads through, and wants boolean decisions', async () => {
    const text = `def is_allowed(username: str, client_ip: str, payload: str = "", port: int = 443):
    if username == "legacy":
        return "yes"
    return "<script" not in payload and port == 443
`;
    const out = await run('security', text, 'is_allowed', [
      'err(e.is_allowed, "ada", " 10.0.0.7 ", "<script>alert(1)</script>\\x00")',
      'err(e.is_allowed, "ada", "::1")',
      'err(e.is_allowed, "ada", "300.1.1.1")',
      'err(e.is_allowed, "ada\\nadmin", "10.0.0.7")',
      'err(e.is_allowed, "ada", "10.0.0.7", "", 70000)',
      'err(e.is_allowed, "legacy", "10.0.0.7")',
    ].join('\n'));
    assert.deepEqual(out[0], { ok: false }, 'a detector sees the hostile payload as it came');
    assert.deepEqual(out[1], { ok: true });
    assert.match(String(out[2]!.message), /parameter 'client_ip' = '300.1.1.1': must match/);
    assert.match(String(out[3]!.message), /parameter 'username' = 'ada\\nadmin': must match .*\(security: user names and roles are non-empty, on one line/);
    assert.match(String(out[4]!.message), /parameter 'port' = 70000: must be at most 65535/);
    assert.equal(out[5]!.error, 'EnforceError');
    assert.match(String(out[5]!.message), /expected boolean/);
  });

  it('composes parent:child domains (both rule sets apply)', async () => {
    const text = `def per_unit(loan_amount: float, units: float) -> float:
    return loan_amount / units
`;
    const out = await run('computation:financial_services', text, 'per_unit', ['err(e.per_unit, "50K", 4)', 'err(e.per_unit, "50K", 0)'].join('\n'));
    assert.deepEqual(out[0], { ok: 12500.0 });
    assert.match(String(out[1]!.message), /parameter 'units' = 0: must not be zero/);
  });
});
