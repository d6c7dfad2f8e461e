import { TopologyError, type TopologyErrorDetail } from '../errors.js';

/**
 * Collects every malformed part of one GTID text, then throws them together: a caller fixing a
 * probe or a fixture sees each problem at once, not the first one only.
 */
export class GtidProblems {
  readonly #what: string;
  readonly #details: TopologyErrorDetail[] = [];

  constructor(what: string) {
    this.#what = what;
  }

  /** Records one problem; `path` is the part's position (`2`, `2.tag`) in the text. */
  add(path: string, message: string): void {
    this.#details.push({ path, message });
  }

  get isEmpty(): boolean {
    return this.#details.length === 0;
  }

  /** Throws an `INVALID_GTID_SET` naming every part recorded, if any. */
  throwIfAny(): void {
    if (this.#details.length === 0) return;
    const first = this.#details[0]!;
    const more = this.#details.length > 1 ? ` (and ${this.#details.length - 1} more)` : '';
    throw new TopologyError('INVALID_GTID_SET', `invalid ${this.#what}: part ${first.path}: ${first.message}${more}`, {
      details: this.#details,
    });
  }
}

/** Quotes a part for a message, shortening a very long one so a log line stays readable. */
export function quotePart(part: string): string {
  return JSON.stringify(part.length > 80 ? `${part.slice(0, 77)}...` : part);
}

/** An unsigned decimal without sign, spaces or a leading `+`; `null` when `text` is not one. */
export function parseUnsigned(text: string): bigint | null {
  return /^\d+$/.test(text) ? BigInt(text) : null;
}
