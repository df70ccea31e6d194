// The Dana runtime's Python helper, run by the real python3 as Dana's interpreter loads it (from
// .dana/poet/runtime/dana/, the Python runtime beside it): Perceive and Enforce by the Python
// runtime's rules with Dana's numbers, waiting for an attempt's promise at most its budget,
// classifying the exception under Dana's layers, one-shot arguments. Dana's interpreter itself is
// a development oracle only (docs/generator.md has its results).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { danaRuntimeFiles } from '../../server/generator/runtime-files';
import { danaHelperPath, lines, loadDanaHelper, python, tempWorkspace, write } from './helpers';

function withHelper(body: string): Promise<unknown[]> {
  const ws = tempWorkspace();
  const { files } = danaRuntimeFiles();
  for (const f of files) write(ws, join('.dana/poet', f.path), f.text);
  return python(ws, [
    'import json, sys, time, threading, io',
    loadDanaHelper(`.dana/poet/${danaHelperPath()}`),
    'def out(x):',
    '    print(json.dumps(x))',
    body,
  ].join('\n')).then(lines);
}

describe('Dana runtime helper (python3)', function () {
  this.timeout(60_000);

  it('Perceive keeps valid values (an int or a float for either annotation), converts only strings, rejects with a PerceiveError text', async () => {
    const out = await withHelper([
      'spec = {"type": {"text": "int", "kinds": ["int"], "nullable": False}, "normalize": ["credit_score"], "checks": [{"type": "number", "min": 300, "max": 850, "rule": "financial_services: credit scores"}]}',
      'out([h.perceive("f", "score", 700, spec), h.perceive("f", "score", 700.0, spec), h.perceive("f", "score", "excellent", spec)])',
      'try:\n    h.perceive("f", "score", 900, spec)\nexcept Exception as e:\n    out(str(e))',
      'free = {"type": None, "normalize": [], "checks": []}',
      'items = [1, 2]',
      'out(h.perceive("f", "x", items, free) is items)',
      'out(h.enforce("f", None, {"type": None, "checks": []}))',
      'try:\n    h.enforce("f", "x", {"type": {"text": "int", "kinds": ["int"], "nullable": False}, "checks": []})\nexcept Exception as e:\n    out(str(e))',
    ].join('\n'));
    assert.deepEqual(out[0], [700, 700.0, 780]);
    assert.match(String(out[1]), /^PerceiveError: \[perceive\] f: parameter 'score' = 900: must be at most 850/);
    assert.equal(out[2], true, 'the same object');
    assert.equal(out[3], null, 'no return annotation: nothing to enforce, None passes');
    assert.match(String(out[4]), /^EnforceError: \[enforce\] f: result 'x': expected int, got str/);
  });

  it('waits for an attempt\'s promise at most its budget, and hands back the original\'s failure with whether it is transient', async () => {
    const out = await withHelper([
      'from concurrent.futures import ThreadPoolExecutor',
      'pool = ThreadPoolExecutor(2)',
      'class Promise:  # the shape of Dana\'s EagerPromise: a future, and the value or error once delivered',
      '    def __init__(self, fn):',
      '        self._future = pool.submit(self._run, fn)',
      '    def _run(self, fn):',
      '        try:',
      '            self.value, self.error = fn(), None',
      '        except Exception as e:',
      '            self.value, self.error = None, e',
      '    def _wait_for_delivery(self):',
      '        self._future.result()',
      '        if self.error is not None:',
      '            raise self.error',
      '        return self.value',
      'def slow():',
      '    time.sleep(2)',
      '    return 1',
      'def dropped():',
      '    raise ConnectionError("reset by peer")',
      'class SandboxError(Exception):',
      '    pass',
      'def wrapped():',
      '    try:',
      '        raise KeyError("k")',
      '    except KeyError as e:',
      '        raise SandboxError("Error executing statement 0 in function \'f\': k") from e',
      't0 = h.clock()',
      'r = h.wait(Promise(slow), 0.2, [], t0)',
      'out([r["ok"], r.get("timeout"), h.clock() - t0 < 1.5])',
      'r = h.wait(Promise(dropped), 5, [], h.clock())',
      'out([r["ok"], r["transient"], r["type"], type(r["error"]).__name__])',
      'r = h.wait(Promise(wrapped), 5, [], h.clock())',
      'out([r["ok"], r["transient"], r["type"], type(r["error"]).__name__])',
      'r = h.wait(42, 5, [], h.clock())',
      'out([r["ok"], r["value"]])',
      'out([h.one_shot(["rows", "n"], [iter([1]), 3]), h.one_shot(["line"], [io.StringIO("a").readline]), h.one_shot(["n"], [[1, 2]])])',
    ].join('\n'));
    assert.deepEqual(out[0], [false, true, true], 'a late attempt is abandoned at its budget');
    assert.deepEqual(out[1], [false, true, 'ConnectionError', 'ConnectionError']);
    assert.deepEqual(out[2], [false, false, 'KeyError', 'SandboxError'], 'the root decides; the error handed back is the one to re-raise');
    assert.deepEqual(out[3], [true, 42], 'a value (Dana ran the call synchronously) within its budget');
    assert.deepEqual(out[4], ['rows', 'line', '']);
  });
});
