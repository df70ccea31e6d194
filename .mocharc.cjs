// Plain-Node suites: shared source model, service over real HTTP, generated code run by python3,
// learning. The real-VS-Code layer (test/vscode) runs inside an extension host instead.
module.exports = {
  spec: ['test/**/*.test.ts'],
  ignore: ['test/vscode/**', 'test/fixtures/**'],
  'node-option': ['import=tsx'],
  reporter: './test/support/summary-reporter.cjs',
  timeout: 30000,
  slow: 2000,
  exit: true,
};
