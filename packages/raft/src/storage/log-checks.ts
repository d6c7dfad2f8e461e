// Checks shared by every log store, so that all of them refuse the same malformed calls.
import type { Entry, LogIndex } from '../core/types.js';
import { RaftError } from '../errors.js';

/**
 * Throws unless `entries` are contiguous and start inside (compacted, last + 1]: a store may
 * overwrite its suffix but never leave a gap or rewrite what a snapshot covers.
 */
export function checkAppend(entries: readonly Entry[], compactedIndex: number, lastIndex: number): void {
  const first = entries[0];
  if (first === undefined) return;
  if (first.index <= compactedIndex || first.index > lastIndex + 1) {
    throw new RaftError(
      'STORAGE',
      'append: entries must start after the compacted index and at most one past the last index',
      {
        details: [
          { path: 'entries[0].index', message: `is ${first.index}; allowed ${compactedIndex + 1}..${lastIndex + 1}` },
        ],
      },
    );
  }
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.index !== first.index + i) {
      throw new RaftError('STORAGE', 'append: entries must have consecutive indexes', {
        details: [{ path: `entries[${i}].index`, message: `is ${e.index}; expected ${first.index + i}` }],
      });
    }
  }
}

/** Throws unless `index` can be compacted: at most the last index held. */
export function checkCompact(index: LogIndex, lastIndex: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > lastIndex) {
    throw new RaftError('STORAGE', 'compact: index must be within the log', {
      details: [{ path: 'index', message: `is ${index}; last index is ${lastIndex}` }],
    });
  }
}
