// A virtualised list: only the rows in view (and a few beyond) exist in the DOM, so 50,000 employees cost what 40 do.
// Rows have one fixed height; the list is a listbox moved through with the keyboard (aria-activedescendant).
export class VirtualList {
  constructor(element, { rowHeight, renderRow, onOpen }) {
    this.element = element;
    this.space = element.querySelector('.vlist-space');
    this.rowHeight = rowHeight;
    this.renderRow = renderRow;
    this.onOpen = onOpen;
    this.items = [];
    this.active = -1;
    this.rendered = new Map();
    element.addEventListener('scroll', () => this.render());
    element.addEventListener('keydown', (e) => this.key(e));
    element.addEventListener('click', (e) => {
      const row = e.target.closest('[data-index]');
      if (!row) return;
      this.activate(Number(row.dataset.index));
      this.onOpen?.(this.items[this.active]);
    });
    new ResizeObserver(() => this.render()).observe(element);
  }

  setItems(items, keepKey) {
    const key = keepKey ?? this.items[this.active]?.id;
    this.items = items;
    this.active = key === undefined ? -1 : items.findIndex((item) => item.id === key);
    this.space.style.height = `${items.length * this.rowHeight}px`;
    for (const row of this.rendered.values()) row.remove();
    this.rendered.clear();
    this.render();
  }

  render() {
    const first = Math.max(0, Math.floor(this.element.scrollTop / this.rowHeight) - 5);
    const last = Math.min(this.items.length, Math.ceil((this.element.scrollTop + this.element.clientHeight) / this.rowHeight) + 5);
    for (const [index, row] of this.rendered) {
      if (index < first || index >= last) { row.remove(); this.rendered.delete(index); }
    }
    for (let index = first; index < last; index++) {
      let row = this.rendered.get(index);
      if (!row) {
        row = this.renderRow(this.items[index], index);
        row.dataset.index = index;
        row.setAttribute('role', 'option');
        row.style.top = `${index * this.rowHeight}px`;
        this.space.appendChild(row);
        this.rendered.set(index, row);
      }
      row.setAttribute('aria-selected', String(index === this.active));
    }
    const active = this.rendered.get(this.active);
    if (active) this.element.setAttribute('aria-activedescendant', active.id);
    else this.element.removeAttribute('aria-activedescendant');
  }

  activate(index) {
    if (this.items.length === 0) return;
    this.active = Math.max(0, Math.min(this.items.length - 1, index));
    const top = this.active * this.rowHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + this.rowHeight > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + this.rowHeight - this.element.clientHeight;
    this.render();
  }

  key(e) {
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.activate((this.active < 0 ? -1 : this.active) + moves[e.key]);
    else if (e.key === 'Home') this.activate(0);
    else if (e.key === 'End') this.activate(this.items.length - 1);
    else if (e.key === 'Enter' && this.active >= 0) this.onOpen?.(this.items[this.active]);
    else return;
    e.preventDefault();
  }
}
