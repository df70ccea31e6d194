import assert from 'node:assert/strict';
import { parsePython } from '../../shared/python/index';
import { findFunction, functionAt, poetDecorator, qualifiedName } from '../../shared/source/locate';
import { parseSource } from '../../shared/source/parse';

const text = [
  '@poet(domain="computation")', // 1
  'def outer(a):',               // 2
  '    def inner(b):',           // 3
  '        return b',            // 4
  '    return inner(a)',         // 5
  '',                            // 6
  'class Shape:',                // 7
  '    @poet.poet(retries=1)',   // 8
  '    def area(self):',         // 9
  '        return 0',            // 10
  '',                            // 11
  'def area():',                 // 12
  '    return 1',                // 13
].join('\n');
const parsed = parsePython(text);

describe('locate: functionAt, findFunction, poetDecorator', () => {
  it('finds the innermost function at a position, decorators included', () => {
    assert.equal(functionAt(parsed, 1, 1)?.name, 'outer');
    assert.equal(functionAt(parsed, 4, 12)?.name, 'inner');
    assert.equal(functionAt(parsed, 5, 5)?.name, 'outer');
    assert.equal(functionAt(parsed, 8, 5)?.name, 'area');
    assert.equal(functionAt(parsed, 8, 1), undefined, 'indentation before the decorator is outside');
    assert.equal(functionAt(parsed, 6, 1), undefined);
    assert.equal(functionAt(parsed, 13, 13)?.name, 'area', 'the end of the body is inclusive');
  });

  it('finds by plain or qualified name, preferring top level', () => {
    assert.equal(findFunction(parsed, 'area')?.line, 12);
    assert.equal(findFunction(parsed, 'Shape.area')?.line, 9);
    assert.equal(findFunction(parsed, 'outer.inner')?.line, 3);
    assert.equal(findFunction(parsed, 'inner')?.line, 3);
    assert.equal(findFunction(parsed, 'missing'), undefined);
    assert.equal(findFunction(parsed, 'Nope.area'), undefined);
    assert.equal(qualifiedName(findFunction(parsed, 'inner')!), 'outer.inner');
  });

  it('recognises @poet and @poet.poet only', () => {
    assert.deepEqual(poetDecorator(findFunction(parsed, 'outer')!)?.kwargs, { domain: 'computation' });
    assert.deepEqual(poetDecorator(findFunction(parsed, 'Shape.area')!)?.kwargs, { retries: 1 });
    assert.equal(poetDecorator(findFunction(parsed, 'area')!), undefined);
    const other = parsePython('@poetry(x=1)\ndef f(): pass\n');
    assert.equal(poetDecorator(other.functions[0]!), undefined);
  });
});

describe('locate on Dana (through parseSource)', () => {
  const dana = [
    'struct Zone:',                                            // 1
    '    name: str',                                           // 2
    '',                                                        // 3
    'def (z: Zone) label(prefix: str = "Z") -> str:',          // 4
    '    return prefix + z.name',                              // 5
    '',                                                        // 6
    '@poet(domain="building_management", retries=2)',          // 7
    'def setpoint(occupied: bool) -> float:',                  // 8
    '    return 22.0',                                         // 9
  ].join('\n') + '\n';
  const parsed = parseSource(dana, 'dana');

  it('finds receiver methods as Type.method and reads @poet', () => {
    assert.deepEqual(parsed.errors, []);
    assert.equal(findFunction(parsed, 'Zone.label')?.line, 4);
    assert.equal(findFunction(parsed, 'label')?.receiver?.type, 'Zone');
    assert.equal(functionAt(parsed, 5, 10)?.name, 'label');
    assert.equal(functionAt(parsed, 7, 1)?.name, 'setpoint');
    assert.deepEqual(poetDecorator(findFunction(parsed, 'setpoint')!)?.kwargs, { domain: 'building_management', retries: 2 });
  });
});
