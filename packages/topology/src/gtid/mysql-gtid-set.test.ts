import { describe, expect, it } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { type TopologyError, isTopologyError } from '../errors.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const U2 = '4e11fa47-71ca-11e1-9e33-c80aa9429562';

const parseError = (text: string): TopologyError =>
  thrownBy(
    () => MysqlGtidSet.parse(text),
    (error): error is TopologyError => isTopologyError(error, 'INVALID_GTID_SET'),
  );

describe('MysqlGtidSet.parse and toString', () => {
  it.each([
    ['empty', '', ''],
    ['only whitespace', ' \n\t', ''],
    ['one interval', `${U1}:1-5`, `${U1}:1-5`],
    ['single numbers and gaps', `${U1}:1:3:5-7`, `${U1}:1:3:5-7`],
    ['adjacent and overlapping intervals merge', `${U1}:4-6:1-3:5-9`, `${U1}:1-9`],
    ['uppercase uuid printed lowercase', `${U1.toUpperCase()}:1-2`, `${U1}:1-2`],
    ['MySQL newline after commas', `${U2}:1-3,\n${U1}:1-5`, `${U1}:1-5,${U2}:1-3`],
    ['spaces around parts and tokens', `  ${U1} : 1 - 3 ,  ${U2}:7  `, `${U1}:1-3,${U2}:7`],
    ['a uuid over several parts', `${U1}:1-3,${U1}:4-5`, `${U1}:1-5`],
    ['a tag', `${U1}:tag:1-5`, `${U1}:tag:1-5`],
    ['untagged then tags, as MySQL prints', `${U1}:1-5:tag:7`, `${U1}:1-5:tag:7`],
    ['tags sorted after untagged', `${U1}:zeta:1,${U1}:Alpha:2-3,${U1}:9`, `${U1}:9:alpha:2-3:zeta:1`],
    ['several tags in one part', `${U1}:a:1:b:1-2:c:5`, `${U1}:a:1:b:1-2:c:5`],
    [
      'tag with underscore and digits, 32 chars',
      `${U1}:_t012345678901234567890123456789:1`,
      `${U1}:_t012345678901234567890123456789:1`,
    ],
    ['largest gno', `${U1}:9223372036854775807`, `${U1}:9223372036854775807`],
  ])('%s', (_name, text, printed) => {
    const set = MysqlGtidSet.parse(text);
    expect(set.toString()).toBe(printed);
    expect(MysqlGtidSet.parse(printed).equals(set)).toBe(true);
  });

  it('keeps tagged GTIDs apart from untagged ones of the same uuid', () => {
    const set = MysqlGtidSet.parse(`${U1}:1-5:tag:1-5`);
    expect(set.size).toBe(10n);
    expect(set.contains(MysqlGtidSet.parse(`${U1}:tag:3`))).toBe(true);
    expect(set.contains(MysqlGtidSet.parse(`${U1}:other:3`))).toBe(false);
    expect(MysqlGtidSet.parse(`${U1}:1-5`).contains(MysqlGtidSet.parse(`${U1}:tag:1`))).toBe(false);
    expect(set.subtract(MysqlGtidSet.parse(`${U1}:1-5`)).toString()).toBe(`${U1}:tag:1-5`);
  });

  it('prints with a newline separator as @@gtid_executed shows', () => {
    expect(MysqlGtidSet.parse(`${U1}:1,${U2}:2`).toString(',\n')).toBe(`${U1}:1,\n${U2}:2`);
  });

  it.each([
    ['a uuid without interval', U1, '0', /no interval/],
    ['a bad uuid', '3e11fa47-71ca-11e1-9e33:1-5', '0', /not a uuid/],
    ['zero', `${U1}:0-5`, '0', /1 <= n <= m/],
    ['an inverted interval', `${U1}:5-3`, '0', /1 <= n <= m/],
    ['beyond 2^63-1', `${U1}:9223372036854775808`, '0', /1 <= n <= m/],
    ['a negative number', `${U1}:-3`, '0', /neither an interval nor a tag/],
    ['an empty token', `${U1}::5`, '0', /neither an interval nor a tag/],
    ['a trailing colon', `${U1}:1-5:`, '0', /neither an interval nor a tag/],
    ['a trailing comma', `${U1}:1-5,`, '1', /empty part/],
    ['two commas', `${U1}:1,,${U2}:1`, '1', /empty part/],
    ['a tag without interval', `${U1}:1-5:tag`, '0.tag', /tag "tag" .* has no interval/],
    ['a tag too long', `${U1}:a23456789012345678901234567890123:1`, '0', /neither an interval nor a tag/],
    ['a tag starting with a digit', `${U1}:9tag:1`, '0', /neither an interval nor a tag/],
    ['a MariaDB list', '0-1-100', '0', /not a uuid/],
  ])('refuses %s, naming the part', (_name, text, path, message) => {
    const error = parseError(text);
    expect(error.retryable).toBe(false);
    expect(error.details[0]?.path).toBe(path);
    expect(error.details[0]?.message).toMatch(message);
    expect(error.message).toMatch(message);
  });

  it('reports every malformed part at once', () => {
    const error = parseError(`${U1}:0,${U2}:1,nonsense`);
    expect(error.details.map((d) => d.path)).toEqual(['0', '2']);
    expect(error.message).toMatch(/and 1 more/);
  });
});

describe('MysqlGtidSet operations', () => {
  const s = (text: string): MysqlGtidSet => MysqlGtidSet.parse(text);

  it('union merges per uuid and tag', () => {
    expect(
      s(`${U1}:1-3:t:1`)
        .union(s(`${U1}:4-6:t:2,${U2}:1`))
        .toString(),
    ).toBe(`${U1}:1-6:t:1-2,${U2}:1`);
  });

  it('subtract leaves the gaps', () => {
    expect(
      s(`${U1}:1-10,${U2}:1-5:7-9`)
        .subtract(s(`${U1}:1-8,${U2}:1-3:8`))
        .toString(),
    ).toBe(`${U1}:9-10,${U2}:4-5:7:9`);
    expect(s(`${U1}:1-10`).subtract(s(`${U1}:1-20`)).isEmpty).toBe(true);
  });

  it('intersect keeps the common part', () => {
    expect(
      s(`${U1}:1-10:t:1-3`)
        .intersect(s(`${U1}:5-20:t:3-9`))
        .toString(),
    ).toBe(`${U1}:5-10:t:3`);
  });

  it('contains and isAtLeastAsAdvancedAs agree, and a gap is not covered', () => {
    expect(s(`${U1}:1-10`).contains(s(`${U1}:2-4:9`))).toBe(true);
    expect(s(`${U1}:1-4:6-10`).contains(s(`${U1}:5`))).toBe(false);
    expect(s(`${U1}:1-10`).isAtLeastAsAdvancedAs(s(''))).toBe(true);
    expect(s('').isAtLeastAsAdvancedAs(s(`${U1}:1`))).toBe(false);
  });

  it('withoutSources drops a uuid with its tags, whatever its case', () => {
    expect(s(`${U1}:1:t:1,${U2}:1`).withoutSources([U1.toUpperCase()]).toString()).toBe(`${U2}:1`);
  });

  it('of builds the same set as parse', () => {
    const built = MysqlGtidSet.of([
      {
        uuid: U1.toUpperCase(),
        tag: 'T',
        intervals: [
          { start: 3n, end: 4n },
          { start: 1n, end: 2n },
        ],
      },
      { uuid: U2, tag: '', intervals: [] },
    ]);
    expect(built.toString()).toBe(`${U1}:t:1-4`);
    expect(built.ranges()).toEqual([{ uuid: U1, tag: 't', intervals: [{ start: 1n, end: 4n }] }]);
  });
});
