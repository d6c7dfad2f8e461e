/** A min-heap of (due time, key): the discovery schedule. Stale entries are skipped by the caller. */
export class DueHeap<K> {
  readonly #items: { due: number; key: K; seq: number }[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  push(due: number, key: K): number {
    const seq = ++this.#seq;
    const items = this.#items;
    items.push({ due, key, seq });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.due <= items[i]!.due) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
    return seq;
  }

  peekDue(): number | undefined {
    return this.#items[0]?.due;
  }

  pop(): { due: number; key: K; seq: number } | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && items[l]!.due < items[m]!.due) m = l;
      if (r < items.length && items[r]!.due < items[m]!.due) m = r;
      if (m === i) break;
      [items[m], items[i]] = [items[i]!, items[m]!];
      i = m;
    }
    return top;
  }
}
