// SIGKILL in the middle of a write burst: the built `poet serve` runs as a child, gets a burst
// of transpiles that each make a new version, and is killed without warning. After each kill,
// and again after a restart, .dana/poet/ must be consistent: every JSON file parses, every
// `current` names a complete version, every acknowledged version is there.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TEMP_MARK } from '../../server/storage/atomic';
import { pyFunction, rawCall, tempWorkspace } from './helpers';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'crash-test-token';

async function startServe(ws: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'serve', '--workspace', ws, '--port', '0'], {
    env: { ...process.env, POET_API_KEY: TOKEN, POET_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /^POET service listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`poet serve exited with ${code} before listening`)));
  });
  return { child, port };
}

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The consistency every crash must leave. Temporary files are ignored unless `noTemp`. */
async function checkConsistent(ws: string, acked: Map<string, Set<string>>, noTemp: boolean): Promise<void> {
  const root = join(ws, '.dana/poet');
  const files = await walk(root);
  for (const f of files) {
    const inTemp = f.split('/').some((s) => s.startsWith(TEMP_MARK));
    if (inTemp) {
      assert.ok(!noTemp, `temporary file left after restart: ${f}`);
      continue;
    }
    if (f.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(readFileSync(f, 'utf8')), `torn JSON: ${f}`);
  }
  const fns = join(root, 'functions');
  for (const key of await readdir(fns)) {
    if (key.startsWith('.')) continue;
    const cur = join(fns, key, 'current');
    if (!existsSync(cur)) continue;
    const v = (await readFile(cur, 'utf8')).trim();
    assert.match(v, /^v\d+$/, `${key}/current holds "${v}"`);
    const meta = JSON.parse(await readFile(join(fns, key, v, 'metadata.json'), 'utf8'));
    assert.equal(meta.version, v);
    for (const name of ['enhanced.py']) assert.ok(existsSync(join(fns, key, v, name)), `${key}/${v}/${name}`);
  }
  for (const [key, versions] of acked) {
    for (const v of versions) {
      const meta = JSON.parse(await readFile(join(fns, key, v, 'metadata.json'), 'utf8'));
      assert.equal(meta.key, key);
      assert.ok(existsSync(join(fns, key, v, 'enhanced.py')), `acknowledged ${key}/${v} lost its code`);
    }
  }
}

describe('SIGKILL during a write burst', function () {
  this.timeout(180_000);
  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  });

  it('leaves .dana/poet consistent, keeps every acknowledged version, and restarts cleanly', async () => {
    const ws = await tempWorkspace('poet-crash-');
    const acked = new Map<string, Set<string>>();
    let counter = 0;
    try {
      for (let round = 0; round < 3; round++) {
        const { child, port } = await startServe(ws);
        const exited = new Promise((r) => child.once('exit', r));
        let killed = false;
        let ackedThisRound = 0;
        const loop = async (lane: number) => {
          while (!killed) {
            const n = ++counter;
            const key = `burst_${lane % 4}`;
            try {
              const r = await rawCall(port, 'POST', '/poet/transpile', {
                token: TOKEN,
                json: { code: pyFunction(key), language: 'python', config: { timeout: n } },
              });
              if (r.status === 200) {
                if (!acked.has(key)) acked.set(key, new Set());
                acked.get(key)!.add(r.body.version);
                ackedThisRound++;
              } else if (!killed) {
                assert.fail(`unexpected ${r.status}: ${r.text}`);
              }
            } catch {
              return; // connection refused / reset: the server is gone
            }
          }
        };
        const lanes = Array.from({ length: 8 }, (_, i) => loop(i));
        // Kill once a good number of writes has been acknowledged, with more in flight.
        while (ackedThisRound < 40) await new Promise((r) => setTimeout(r, 5));
        child.kill('SIGKILL');
        killed = true;
        await exited;
        await Promise.all(lanes);
        await checkConsistent(ws, acked, false);
      }

      const { child, port } = await startServe(ws);
      try {
        // Cleanup of leftovers runs right after listen; wait for it (a condition, not a timing).
        while ((await walk(join(ws, '.dana/poet'))).some((f) => f.includes(`/${TEMP_MARK}`))) {
          await new Promise((r) => setTimeout(r, 20));
        }
        await checkConsistent(ws, acked, true);
        const list = (await rawCall(port, 'GET', '/poet/functions', { token: TOKEN })).body as Array<{ key: string; versions: string[]; current_version: string }>;
        for (const [key, versions] of acked) {
          const f = list.find((x) => x.key === key);
          assert.ok(f, `${key} listed`);
          for (const v of versions) assert.ok(f.versions.includes(v), `${key} lists ${v}`);
        }
        // Locks left by the killed process do not block: every function takes a new version.
        for (const key of acked.keys()) {
          const r = await rawCall(port, 'POST', '/poet/transpile', { token: TOKEN, json: { code: pyFunction(key), language: 'python', config: { timeout: 86000 } } });
          assert.equal(r.status, 200, r.text);
          assert.equal(r.body.created, true);
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      const total = [...acked.values()].reduce((s, v) => s + v.size, 0);
      assert.ok(total >= 120, `acknowledged ${total} versions over three kills`);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
