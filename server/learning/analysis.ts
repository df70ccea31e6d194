// Deterministic feedback analysis: any JSON value → Analysis with a 0–1 score.
// Numbers are read on a declared or inferred scale (recorded in the result); text is
// matched word by word (Unicode word boundaries) with negation and contrast ("fast but
// wrong" leans on the clause after "but"); objects are read field by field.
// The original matched with a broken `\\b` regex and read 0.2 on a 0–1 scale as positive.
import type { Analysis, Scale, Sentiment } from '../../shared/contract/learning';

type Kind = 'performance' | 'accuracy' | 'error' | 'usability' | 'general';

/** Lexicon: word (lower case) → [polarity, kind]. English first, then a few common words in de/fr/es. */
const LEXICON: Record<string, [1 | -1, Kind]> = {};
function add(words: string, polarity: 1 | -1, kind: Kind): void {
  // First entry wins: the English kinds are kept when another language shares a word.
  for (const w of words.split(/\s+/).filter(Boolean)) LEXICON[w] ??= [polarity, kind];
}
add('good great excellent awesome perfect amazing nice love loved liked helpful useful fine solid reliable better best superb', 1, 'general');
add('correct accurate right precise exact', 1, 'accuracy');
add('fast quick snappy responsive speedy', 1, 'performance');
add('works worked working robust stable', 1, 'error');
add('clear concise readable', 1, 'usability');
add('bad terrible awful horrible poor hate hated dislike useless worse worst disappointing', -1, 'general');
add('wrong incorrect inaccurate imprecise mistaken invalid', -1, 'accuracy');
add('slow sluggish laggy timeout timeouts hangs hung hanging latency', -1, 'performance');
add('error errors fail fails failed failing failure failures broken crash crashes crashed exception bug buggy flaky unreliable unstable', -1, 'error');
add('confusing unclear verbose cluttered unreadable awkward', -1, 'usability');
// German, French, Spanish: a handful each (the analyser is deterministic, not a translator).
add('gut toll super prima richtig schnell genau', 1, 'general');
add('schlecht falsch langsam fehler kaputt', -1, 'general');
add('bon bien excellent parfait correct rapide', 1, 'general');
add('mauvais mal faux lent erreur cassé nul', -1, 'general');
add('bueno buena excelente perfecto correcto rápido bien', 1, 'general');
add('malo mala incorrecto lento roto fallo', -1, 'general');

const NEGATORS = new Set([
  'not', 'no', 'never', 'hardly', 'barely', 'without', 'isnt', 'wasnt', 'arent', 'werent', 'dont', 'doesnt', 'didnt',
  'cant', 'cannot', 'wont', 'wouldnt', 'shouldnt', 'aint', 'nothing', 'nicht', 'kein', 'keine', 'nie', 'pas', 'jamais',
  'nunca', 'tampoco',
]);
/** Words that make the following clause weigh more ("fast but wrong" is mostly "wrong"). */
const CONTRAST = new Set(['but', 'however', 'although', 'though', 'yet', 'aber', 'mais', 'pero', 'sino']);
const SUGGEST_RE = /\b(should|could|would be better|please|suggest|consider|instead|prefer|ought to|needs? to)\b/i;
const NEGATION_WINDOW = 3;

/** Unicode-aware tokens; apostrophes are dropped so "isn't" → "isnt". */
function tokenize(text: string): string[] {
  return (text.toLowerCase().replace(/['’]/g, '').match(/[\p{L}\p{N}]+/gu) ?? []) as string[];
}

export interface TextFindings {
  positive: number;
  negative: number;
  issues: string[];
  praise: string[];
  suggestions: string[];
  kinds: Record<Kind, number>;
}

/** Scores the words of a text, with negation and contrast. Exported for tests. */
export function scanText(text: string): TextFindings {
  const f: TextFindings = { positive: 0, negative: 0, issues: [], praise: [], suggestions: [], kinds: { performance: 0, accuracy: 0, error: 0, usability: 0, general: 0 } };
  for (const sentence of text.split(/(?<=[.!?;\n])\s*/)) {
    const s = sentence.trim();
    if (s && SUGGEST_RE.test(s)) f.suggestions.push(s.slice(0, 200));
  }
  const tokens = tokenize(text);
  let weight = 1;
  let lastNegator = -100;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (CONTRAST.has(t)) {
      // What follows a contrast counts double; what came before keeps its weight.
      weight = 2;
      lastNegator = -100;
      continue;
    }
    if (NEGATORS.has(t)) {
      lastNegator = i;
      continue;
    }
    const entry = LEXICON[t];
    if (!entry) continue;
    const negated = i - lastNegator <= NEGATION_WINDOW;
    // "not bad" is mild praise; "not good" is plain blame.
    const polarity = negated ? -entry[0] : entry[0];
    const w = negated && entry[0] < 0 ? weight * 0.5 : weight;
    const phrase = negated ? `${tokens[lastNegator]} ${t}` : t;
    if (polarity > 0) {
      f.positive += w;
      f.praise.push(phrase);
    } else {
      f.negative += w;
      f.issues.push(phrase);
      f.kinds[entry[1]] += w;
    }
  }
  return f;
}

// ---------------------------------------------------------------- scales

const NAMED_SCALES: Record<string, { min: number; max: number }> = {
  '0-1': { min: 0, max: 1 },
  '1-5': { min: 1, max: 5 },
  '0-10': { min: 0, max: 10 },
  '-1..1': { min: -1, max: 1 },
  '0-100': { min: 0, max: 100 },
};

function scaleFor(declared: unknown): Scale | null {
  if (typeof declared === 'string' && NAMED_SCALES[declared]) {
    return { name: declared as Scale['name'], ...NAMED_SCALES[declared], source: 'declared' };
  }
  if (declared && typeof declared === 'object') {
    const { min, max } = declared as { min?: unknown; max?: unknown };
    if (typeof min === 'number' && typeof max === 'number' && max > min) {
      const named = Object.entries(NAMED_SCALES).find(([, s]) => s.min === min && s.max === max);
      return { name: (named?.[0] ?? 'custom') as Scale['name'], min, max, source: 'declared' };
    }
  }
  return null;
}

/**
 * Infers the scale of a bare number: [-1,0) → −1..1, [0,1] → 0–1, integers 2–5 → 1–5,
 * up to 10 → 0–10, up to 100 → 0–100. Null when none fits.
 */
export function inferScale(x: number): Scale | null {
  const pick = (name: keyof typeof NAMED_SCALES): Scale => ({ name: name as Scale['name'], ...NAMED_SCALES[name]!, source: 'inferred' });
  if (x >= -1 && x < 0) return pick('-1..1');
  if (x >= 0 && x <= 1) return pick('0-1');
  if (Number.isInteger(x) && x >= 2 && x <= 5) return pick('1-5');
  if (x > 1 && x <= 10) return pick('0-10');
  if (x > 10 && x <= 100) return pick('0-100');
  return null;
}

function sentimentOf(score: number): Sentiment {
  if (score >= 0.6) return 'positive';
  if (score <= 0.4) return 'negative';
  return 'neutral';
}

function priorityOf(sentiment: Sentiment, score: number | null, kinds?: Record<Kind, number>): Analysis['learning_priority'] {
  if (sentiment !== 'negative') return 'low';
  // Text: blame about errors or wrong results comes first; ratings: very low scores do.
  if (kinds ? kinds.error + kinds.accuracy > 0 : score !== null && score <= 0.2) return 'high';
  return 'medium';
}

function base(): Analysis {
  return {
    sentiment: 'neutral',
    feedback_type: 'general',
    confidence: 0.1,
    key_issues: [],
    suggestions: [],
    learning_priority: 'low',
    score: null,
    method: 'deterministic',
  };
}

function fromNumber(x: number, declared: unknown): Analysis {
  const a = base();
  a.feedback_type = 'rating';
  const declaredScale = declared === undefined ? null : scaleFor(declared);
  const scale = declaredScale ?? inferScale(x);
  if (!scale) {
    a.key_issues = [`rating ${x} fits no known scale; send {"rating": ${x}, "scale": {"min": …, "max": …}}`];
    return a;
  }
  const clamped = Math.min(scale.max, Math.max(scale.min, x));
  const score = (clamped - scale.min) / (scale.max - scale.min);
  a.scale = scale;
  a.score = Math.round(score * 1e6) / 1e6;
  a.sentiment = sentimentOf(score);
  a.confidence = scale.source === 'declared' ? 0.95 : 0.7;
  if (clamped !== x) {
    a.confidence = 0.5;
    a.key_issues = [`rating ${x} is outside the ${scale.name} scale; read as ${clamped}`];
  }
  a.learning_priority = priorityOf(a.sentiment, a.score);
  return a;
}

const THUMBS: Record<string, 1 | 0> = { up: 1, down: 0, '👍': 1, '👎': 0, '+1': 1, '-1': 0, thumbsup: 1, thumbsdown: 0, yes: 1 };

function fromThumb(v: 1 | 0): Analysis {
  const a = base();
  a.feedback_type = 'thumbs';
  a.score = v;
  a.sentiment = v ? 'positive' : 'negative';
  a.confidence = 0.9;
  a.learning_priority = v ? 'low' : 'medium';
  return a;
}

/** "4/5", "7 / 10", "80%", "4 stars". */
function ratingInText(text: string): Analysis | null {
  const frac = /^\s*(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*(?:stars?)?\s*$/i.exec(text);
  if (frac) {
    const max = Number(frac[2]);
    if (max > 0) {
      const min = max === 5 ? 1 : 0;
      return fromNumber(Number(frac[1]), { min, max });
    }
  }
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (pct) return fromNumber(Number(pct[1]), '0-100');
  const stars = /^\s*(\d)\s*stars?\s*$/i.exec(text);
  if (stars) return fromNumber(Number(stars[1]), '1-5');
  if (/^\s*-?\d+(?:\.\d+)?\s*$/.test(text)) return fromNumber(Number(text), undefined);
  return null;
}

function fromText(text: string): Analysis {
  const trimmed = text.trim();
  const thumb = THUMBS[trimmed.toLowerCase().replace(/[\s_]/g, '')];
  if (thumb !== undefined) return fromThumb(thumb);
  const rated = ratingInText(trimmed);
  if (rated) return rated;

  const a = base();
  a.feedback_type = 'text';
  const f = scanText(trimmed);
  a.key_issues = [...new Set(f.issues)];
  a.suggestions = f.suggestions;
  const total = f.positive + f.negative;
  if (total > 0) {
    const score = f.positive / total;
    a.score = Math.round(score * 1e6) / 1e6;
    a.sentiment = sentimentOf(score);
    const matches = f.issues.length + f.praise.length;
    // More evidence → more confidence; mixed praise and blame → less.
    const agreement = Math.abs(f.positive - f.negative) / total;
    a.confidence = Math.round(Math.min(0.9, 0.4 + 0.1 * matches) * (0.5 + 0.5 * agreement) * 100) / 100;
  }
  if (a.sentiment === 'negative') {
    const kinds = Object.entries(f.kinds).filter(([k]) => k !== 'general').sort((x, y) => y[1] - x[1]);
    if (kinds[0] && kinds[0][1] > 0) a.feedback_type = kinds[0][0] as Analysis['feedback_type'];
  }
  if (a.suggestions.length && a.feedback_type === 'text') a.feedback_type = 'suggestion';
  a.learning_priority = priorityOf(a.sentiment, a.score, f.kinds);
  return a;
}

function fromObject(o: Record<string, unknown>): Analysis {
  const parts: Analysis[] = [];
  let a: Analysis | null = null;
  if (typeof o.rating === 'number') a = fromNumber(o.rating, o.scale);
  else if (typeof o.score === 'number') a = fromNumber(o.score, o.scale);
  else if (typeof o.thumbs === 'string' && THUMBS[o.thumbs] !== undefined) a = fromThumb(THUMBS[o.thumbs]!);
  else if (typeof o.correct === 'boolean') {
    a = fromThumb(o.correct ? 1 : 0);
    a.feedback_type = o.correct ? 'structured' : 'accuracy';
    a.confidence = 0.95;
    a.learning_priority = o.correct ? 'low' : 'high';
    if (!o.correct) a.key_issues.push('output marked incorrect');
  }
  const comment = [o.comment, o.text, o.message, o.feedback].find((c): c is string => typeof c === 'string');
  const c = comment !== undefined ? fromText(comment) : null;
  if (a) parts.push(a);
  if (c) parts.push(c);

  let out: Analysis;
  if (a && c) {
    // The explicit judgement decides the score; the comment adds issues and suggestions.
    out = { ...a, key_issues: [...a.key_issues, ...c.key_issues], suggestions: c.suggestions };
    if (c.sentiment !== 'neutral' && c.sentiment !== a.sentiment) out.confidence = Math.round(a.confidence * 0.7 * 100) / 100;
  } else {
    out = a ?? c ?? base();
  }
  if (!a && !c) out.feedback_type = 'structured';
  if (typeof o.sentiment === 'string' && ['positive', 'negative', 'neutral'].includes(o.sentiment) && out.score === null) {
    out.sentiment = o.sentiment as Sentiment;
    out.score = { positive: 1, neutral: 0.5, negative: 0 }[out.sentiment];
    out.confidence = 0.8;
  }
  if ('expected' in o && o.expected !== undefined) {
    out.feedback_type = 'correction';
    if (o.correct !== true) {
      out.key_issues.push(`expected ${truncate(JSON.stringify(o.expected), 120)}`);
      if (out.score === null) {
        out.score = 0;
        out.sentiment = 'negative';
        out.confidence = 0.8;
      }
      out.learning_priority = 'high';
    }
  }
  if (typeof o.suggestion === 'string') out.suggestions.push(o.suggestion.slice(0, 200));
  out.learning_priority = out.learning_priority === 'high' ? 'high' : priorityOf(out.sentiment, out.score);
  return out;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Analyses one feedback value deterministically. */
export function analyseFeedback(feedback: unknown): Analysis {
  if (typeof feedback === 'number' && Number.isFinite(feedback)) return fromNumber(feedback, undefined);
  if (typeof feedback === 'boolean') return fromThumb(feedback ? 1 : 0);
  if (typeof feedback === 'string') return fromText(feedback);
  if (Array.isArray(feedback)) {
    const parts = feedback.map(analyseFeedback);
    const scored = parts.filter((p) => p.score !== null);
    const a = base();
    a.feedback_type = 'structured';
    a.key_issues = parts.flatMap((p) => p.key_issues);
    a.suggestions = parts.flatMap((p) => p.suggestions);
    if (scored.length) {
      a.score = scored.reduce((s, p) => s + (p.score as number), 0) / scored.length;
      a.sentiment = sentimentOf(a.score);
      a.confidence = Math.min(...scored.map((p) => p.confidence));
    }
    a.learning_priority = priorityOf(a.sentiment, a.score);
    return a;
  }
  if (feedback && typeof feedback === 'object') return fromObject(feedback as Record<string, unknown>);
  return base();
}
