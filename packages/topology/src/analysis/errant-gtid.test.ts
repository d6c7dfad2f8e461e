import { describe, it, expect } from '@jest/globals';
import { mariaDbErrantGtid, mysqlErrantGtid } from './errant-gtid.js';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const U2 = '4e11fa47-71ca-11e1-9e33-c80aa9429562';

describe('errant GTID', () => {
  it('MySQL: subtracts interval sets and ignores the primary UUID surplus', () => {
    expect(mysqlErrantGtid(`${U1}:1-10,${U2}:1-5:7-9`, `${U1}:1-8,${U2}:1-3:8`, U1)).toBe(`${U2}:4-5:7:9`);
    expect(mysqlErrantGtid(`${U1}:1-10`, `${U1}:1-20`, U1)).toBe('');
  });

  it('MySQL 8.4: a tagged GTID the primary lacks is errant, even when its number is untagged there', () => {
    expect(mysqlErrantGtid(`${U2}:1-5:ops:3`, `${U2}:1-5`, U1)).toBe(`${U2}:ops:3`);
    expect(mysqlErrantGtid(`${U2}:1-5:ops:3`, `${U2}:1-5:ops:1-3`, U1)).toBe('');
    expect(mysqlErrantGtid(`${U1.toUpperCase()}:1-20:ops:1`, `${U1}:1-10`, U1)).toBe('');
  });

  it('MySQL: a malformed set is an error naming the part, not "nothing errant"', () => {
    expect(() => mysqlErrantGtid(`${U2}:1-5:x-y`, `${U2}:1-5`, U1)).toThrow(/INVALID|"x-y"/);
    expect(() => mysqlErrantGtid(`${U2}:1-5`, `${U2}:1-5,`, U1)).toThrow(/empty part/);
  });

  it('MariaDB: flags unknown domain-server pairs and own writes beyond the primary', () => {
    expect(mariaDbErrantGtid('0-1-100,0-2-3', '0-1-120', 2)).toBe('0-2-3');
    expect(mariaDbErrantGtid('0-1-100,0-2-3', '0-1-120,0-2-3', 2)).toBe('');
    expect(mariaDbErrantGtid('0-1-130', '0-1-120', 2)).toBe('');
    expect(mariaDbErrantGtid('0-1-100,0-2-9', '0-1-120,0-2-3', 2)).toBe('0-2-9');
    expect(mariaDbErrantGtid('0-1-100,\n1-2-4', '0-1-100', 2)).toBe('1-2-4');
  });

  it('MariaDB: a malformed state is an error naming the part', () => {
    expect(() => mariaDbErrantGtid('0-1-100,0-2', '0-1-120', 2)).toThrow(/"0-2" is not domain-server-seq/);
  });
});
