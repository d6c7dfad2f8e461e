import { describe, expect, it } from '@jest/globals';
import {
  analysisLines,
  brokenReplicas,
  dominantDataCenter,
  echoed,
  errorMessageText,
  keyLines,
  keyOrRaw,
  keyText,
  rawText,
  relocationLine,
  runningReplicas,
  uriEncode,
} from './format.js';

const key = (Hostname: string, Port: number) => ({ Hostname, Port });

describe('output formats of orchestrator-client', () => {
  it('prints keys as host:port, and null parts as jq does', () => {
    expect(keyText(key('db1', 3306))).toBe('db1:3306');
    expect(keyText(null)).toBe(':null');
    expect(keyText({ Hostname: 'db1' })).toBe('db1:null');
  });

  it('prints one key per instance', () => {
    expect(keyLines([{ Key: key('a', 1) }, { Key: key('b', 2) }])).toEqual(['a:1', 'b:2']);
    expect(keyLines([key('c', 3)])).toEqual(['c:3']);
    expect(keyLines({ not: 'a list' })).toEqual([]);
  });

  it('prints relocations as instance<master', () => {
    expect(relocationLine({ Key: key('r1', 3306), MasterKey: key('m', 3306) })).toBe('r1:3306<m:3306');
  });

  it('prints jq -r values: strings raw, the rest as indented JSON', () => {
    expect(rawText('enabled')).toBe('enabled');
    expect(rawText(3)).toBe('3');
    expect(rawText(null)).toBe('null');
    expect(rawText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('prints echo $json on one line with whitespace collapsed', () => {
    expect(echoed({ Code: 'OK', Message: 'a  b', Details: [1, { x: null }] })).toBe(
      '{ "Code": "OK", "Message": "a b", "Details": [ 1, { "x": null } ] }',
    );
    expect(echoed([])).toBe('[]');
    expect(echoed('Not leader')).toBe('"Not leader"');
  });

  it('prints a key, or the value when the daemon answers no key', () => {
    expect(keyOrRaw(key('a', 1))).toBe('a:1');
    expect(keyOrRaw(17)).toBe('17');
  });

  it('prints the analysis as host:port (cluster name): code', () => {
    const entry = (Analysis: string, StructureAnalysis: string[] | null) => ({
      AnalyzedInstanceKey: key('m', 3306),
      ClusterDetails: { ClusterName: 'm:3306' },
      Analysis,
      StructureAnalysis,
    });
    expect(
      analysisLines([
        entry('DeadMaster', null),
        entry('NoProblem', ['NoFailoverSupportStructureWarning']),
        entry('NoProblem', []),
      ]),
    ).toEqual([
      'm:3306 (cluster m:3306): DeadMaster',
      'm:3306 (cluster m:3306): NoFailoverSupportStructureWarning',
      'm:3306 (cluster m:3306): ',
    ]);
  });

  it('names the data center of most primaries, a tie going to the last name', () => {
    expect(dominantDataCenter([{ DataCenter: 'a' }, { DataCenter: 'b' }, { DataCenter: 'b' }])).toBe('b');
    expect(dominantDataCenter([{ DataCenter: 'a' }, { DataCenter: 'c' }])).toBe('c');
    expect(dominantDataCenter([{ DataCenter: '' }])).toBe('');
    expect(dominantDataCenter([])).toBeUndefined();
  });

  it('prints the daemon message as tr -d "\'" | xargs echo does', () => {
    expect(errorMessageText("no cluster named 'x'\n  here")).toBe('no cluster named x here');
    expect(errorMessageText('no cluster containing "db:1"')).toBe('no cluster containing db:1');
  });

  it('keeps broken and running replicas as the original filters', () => {
    const broken = {
      Key: key('b', 1),
      ReplicationSQLThreadRuning: false,
      ReplicationIOThreadRuning: true,
      LastSQLError: 'dup',
      LastIOError: '',
    };
    const stopped = {
      Key: key('s', 1),
      ReplicationSQLThreadRuning: false,
      ReplicationIOThreadRuning: false,
      LastSQLError: '',
      LastIOError: '',
    };
    const running = {
      Key: key('r', 1),
      ReplicationSQLThreadRuning: true,
      ReplicationIOThreadRuning: true,
      LastSQLError: '',
      LastIOError: '',
    };
    expect(brokenReplicas([broken, stopped, running])).toEqual([broken]);
    expect(runningReplicas([broken, stopped, running])).toEqual([running]);
  });

  it('encodes as jq @uri', () => {
    expect(uriEncode("a b/c!'()*~")).toBe('a%20b%2Fc%21%27%28%29%2A~');
  });
});
