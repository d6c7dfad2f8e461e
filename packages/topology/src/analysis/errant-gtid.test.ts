import { describe, it, expect } from '@jest/globals';
import { mariaDbErrantGtid, mysqlErrantGtid } from './errant-gtid.js';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const U2 = '4e11fa47-71ca-11e1-9e33-c80aa9429562';

describe('errant GTID', () => {
  it('MySQL: subtracts interval sets and ignores the primary UUID surplus', () => {
    expect(mysqlErrantGtid(`${U1}:1-10,${U2}:1-5:7-9`, `${U1}:1-8,${U2}:1-3:8`, U1)).toBe(`${U2}:4-5:7:9`);
    expect(mysqlErrantGtid(`${U1}:1-10`, `${U1}:1-20`, U1)).toBe('');
  });

  it('MariaDB: flags unknown domain-server pairs and own writes beyond the primary', () => {
    expect(mariaDbErrantGtid('0-1-100,0-2-3', '0-1-120', 2)).toBe('0-2-3');
    expect(mariaDbErrantGtid('0-1-100,0-2-3', '0-1-120,0-2-3', 2)).toBe('');
    expect(mariaDbErrantGtid('0-1-130', '0-1-120', 2)).toBe('');
    expect(mariaDbErrantGtid('0-1-100,0-2-9', '0-1-120,0-2-3', 2)).toBe('0-2-9');
  });
});
