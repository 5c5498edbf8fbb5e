// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isInHiddenView, type HiddenMemo } from '../../../lib/crm/dom';

describe('isInHiddenView', () => {
  it('with a memo shared by a list’s rows, says what it says without one', () => {
    document.body.innerHTML = `
      <div class="windowViewMode-normal"><table><tbody><tr id="a"><td>A</td></tr><tr id="b"><td>B</td></tr></tbody></table></div>
      <div class="windowViewMode-normal active"><table><tbody><tr id="c"><td>C</td></tr><tr id="d" hidden><td>D</td></tr></tbody></table></div>
      <section aria-hidden="true"><p id="e">E</p></section>
      <p id="f">F</p>`;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'c', 'a'];
    const without = ids.map((id) => isInHiddenView(document.getElementById(id)!));
    expect(without).toEqual([true, true, false, true, true, false, false, true]);
    const memo: HiddenMemo = new Map();
    expect(ids.map((id) => isInHiddenView(document.getElementById(id)!, memo))).toEqual(without);
    // the second row of a table found its verdict in the first one's walk
    expect(memo.get(document.getElementById('a')!.parentElement!)).toBe(true);
    // a cell of the hidden row is hidden, though its row was remembered as such, not the cell
    expect(isInHiddenView(document.querySelector('#d td')!, memo)).toBe(true);
  });
});
