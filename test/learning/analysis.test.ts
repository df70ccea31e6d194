// The deterministic feedback analyser on a table of payloads with known readings.
import assert from 'node:assert/strict';
import { AnalysisSchema } from '../../shared/contract/learning';
import { analyseFeedback, inferScale } from '../../server/learning/analysis';

interface Row {
  feedback: unknown;
  sentiment: 'positive' | 'negative' | 'neutral';
  score?: number | null;
  scale?: string;
  scaleSource?: 'declared' | 'inferred';
  type?: string;
  issue?: string;
}

const table: Row[] = [
  // numbers on each scale (inferred)
  { feedback: 0.2, sentiment: 'negative', score: 0.2, scale: '0-1', scaleSource: 'inferred' },
  { feedback: 0.9, sentiment: 'positive', score: 0.9, scale: '0-1' },
  { feedback: 4, sentiment: 'positive', score: 0.75, scale: '1-5' },
  { feedback: 2, sentiment: 'negative', score: 0.25, scale: '1-5' },
  { feedback: 3, sentiment: 'neutral', score: 0.5, scale: '1-5' },
  { feedback: 8, sentiment: 'positive', score: 0.8, scale: '0-10' },
  { feedback: 2.5, sentiment: 'negative', score: 0.25, scale: '0-10' },
  { feedback: -0.5, sentiment: 'negative', score: 0.25, scale: '-1..1' },
  { feedback: 85, sentiment: 'positive', score: 0.85, scale: '0-100' },
  { feedback: 500, sentiment: 'neutral', score: null },
  // declared scales
  { feedback: { rating: 1, scale: '1-5' }, sentiment: 'negative', score: 0, scale: '1-5', scaleSource: 'declared', type: 'rating' },
  { feedback: { rating: 1, scale: '-1..1' }, sentiment: 'positive', score: 1, scale: '-1..1', scaleSource: 'declared' },
  { feedback: { rating: 0, scale: '-1..1' }, sentiment: 'neutral', score: 0.5, scale: '-1..1' },
  { feedback: { rating: 7, scale: { min: 0, max: 7 } }, sentiment: 'positive', score: 1, scale: 'custom', scaleSource: 'declared' },
  { feedback: { rating: 9, scale: '1-5' }, sentiment: 'positive', score: 1, scale: '1-5' },
  { feedback: '4/5', sentiment: 'positive', score: 0.75, scale: '1-5', scaleSource: 'declared' },
  { feedback: '3/10', sentiment: 'negative', score: 0.3, scale: '0-10' },
  { feedback: '90%', sentiment: 'positive', score: 0.9, scale: '0-100' },
  // thumbs and booleans
  { feedback: 'up', sentiment: 'positive', score: 1, type: 'thumbs' },
  { feedback: 'down', sentiment: 'negative', score: 0, type: 'thumbs' },
  { feedback: '👎', sentiment: 'negative', score: 0, type: 'thumbs' },
  { feedback: { thumbs: 'up' }, sentiment: 'positive', score: 1 },
  { feedback: true, sentiment: 'positive', score: 1 },
  // words on word boundaries, with negation
  { feedback: 'good', sentiment: 'positive', score: 1, type: 'text' },
  { feedback: 'goodness gracious', sentiment: 'neutral', score: null },
  { feedback: 'not good', sentiment: 'negative', score: 0, issue: 'not good' },
  { feedback: "isn't accurate", sentiment: 'negative', issue: 'isnt accurate', type: 'accuracy' },
  { feedback: 'never fast enough', sentiment: 'negative', type: 'performance' },
  { feedback: 'not bad at all', sentiment: 'positive' },
  { feedback: 'bad and wrong', sentiment: 'negative', score: 0, type: 'accuracy', issue: 'wrong' },
  { feedback: 'The errors are gone, works great', sentiment: 'positive' },
  // mixed praise and blame: the clause after "but" weighs more
  { feedback: 'fast but wrong', sentiment: 'negative', issue: 'wrong', type: 'accuracy' },
  { feedback: 'a bit slow but accurate and correct', sentiment: 'positive' },
  // other languages
  { feedback: 'nicht gut', sentiment: 'negative' },
  { feedback: 'sehr gut', sentiment: 'positive' },
  { feedback: "c'est faux", sentiment: 'negative' },
  { feedback: 'pas mal', sentiment: 'positive' },
  { feedback: 'muy bueno', sentiment: 'positive' },
  { feedback: 'no es correcto', sentiment: 'negative' },
  // suggestions
  { feedback: 'It should round to cents', sentiment: 'neutral', type: 'suggestion' },
  // objects by their fields
  { feedback: { correct: false, expected: 42 }, sentiment: 'negative', score: 0, type: 'correction', issue: 'expected 42' },
  { feedback: { correct: true }, sentiment: 'positive', score: 1 },
  { feedback: { rating: 2, scale: '1-5', comment: 'too slow' }, sentiment: 'negative', score: 0.25, issue: 'slow' },
  { feedback: { comment: 'crashes on empty input' }, sentiment: 'negative', type: 'error', issue: 'crashes' },
  { feedback: { sentiment: 'positive' }, sentiment: 'positive', score: 1 },
  { feedback: {}, sentiment: 'neutral', score: null },
];

describe('learning: feedback analysis (deterministic)', () => {
  for (const row of table) {
    it(`reads ${JSON.stringify(row.feedback)} as ${row.sentiment}`, () => {
      const a = analyseFeedback(row.feedback);
      assert.equal(AnalysisSchema.safeParse(a).success, true, 'matches the contract');
      assert.equal(a.method, 'deterministic');
      assert.equal(a.sentiment, row.sentiment);
      if (row.score !== undefined) {
        if (row.score === null) assert.equal(a.score, null);
        else assert.ok(a.score !== null && Math.abs(a.score - row.score) < 1e-6, `score ${a.score} ≠ ${row.score}`);
      }
      if (row.scale) assert.equal(a.scale?.name, row.scale);
      if (row.scaleSource) assert.equal(a.scale?.source, row.scaleSource);
      if (row.type) assert.equal(a.feedback_type, row.type);
      if (row.issue) assert.ok(a.key_issues.some((i) => i.includes(row.issue!)), `issues ${JSON.stringify(a.key_issues)} lack "${row.issue}"`);
    });
  }

  it('records suggestions and ranks blame about errors as high priority', () => {
    const a = analyseFeedback('It crashed. Please handle empty lists.');
    assert.equal(a.learning_priority, 'high');
    assert.deepEqual(a.suggestions, ['Please handle empty lists.']);
  });

  it('is less confident about mixed praise and blame than about one-sided text', () => {
    assert.ok(analyseFeedback('fast but wrong').confidence < analyseFeedback('wrong and broken').confidence);
  });

  it('infers each scale from the value and says when none fits', () => {
    assert.equal(inferScale(-1)?.name, '-1..1');
    assert.equal(inferScale(0.5)?.name, '0-1');
    assert.equal(inferScale(5)?.name, '1-5');
    assert.equal(inferScale(6)?.name, '0-10');
    assert.equal(inferScale(4.5)?.name, '0-10');
    assert.equal(inferScale(100)?.name, '0-100');
    assert.equal(inferScale(-3), null);
  });
});
