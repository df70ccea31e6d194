import assert from 'node:assert/strict';
import { decodeNumberLiteral, decodeStringLiteral } from '../../shared/python/index';

describe('Python literal decoding', () => {
  it('decodes string escapes as Python does', () => {
    assert.equal(decodeStringLiteral(String.raw`'a\n\t\\\'\"'`), 'a\n\t\\\'"');
    assert.equal(decodeStringLiteral(String.raw`"\x41\u00e9\U0001F600\101"`), 'Aé😀A');
    assert.equal(decodeStringLiteral(String.raw`"keep \d"`), 'keep \\d');
    assert.equal(decodeStringLiteral('"""line\\\njoined"""'), 'linejoined');
    assert.equal(decodeStringLiteral(String.raw`r"\d+\n"`), '\\d+\\n');
    assert.equal(decodeStringLiteral(String.raw`U'x'`), 'x');
  });

  it('refuses what is not a plain string value', () => {
    for (const t of ['f"{x}"', 'b"x"', 'rb"x"', '"open', '"\\N{BULLET}"', '"\\x4"', 'x']) {
      assert.equal(decodeStringLiteral(t), null, t);
    }
  });

  it('decodes ints and floats, not complex numbers or unsafe integers', () => {
    assert.deepEqual(
      ['42', '1_000', '0x1F', '0o17', '0b101', '3.5', '.5', '5.', '1e3', '2.5E-3'].map(decodeNumberLiteral),
      [42, 1000, 31, 15, 5, 3.5, 0.5, 5, 1000, 0.0025],
    );
    assert.equal(decodeNumberLiteral('1j'), null);
    assert.equal(decodeNumberLiteral('123456789012345678901234567890'), null);
  });
});
