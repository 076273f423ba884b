/**
 * A terminal just big enough for the release table's redraws: wraps, newlines, cursor up, erase
 * line/below, and scrolls when the cursor goes past the bottom row (what went above is gone, as
 * from a real screen's visible rows).
 */
export function createScreen(columns: number, height: number) {
  const blank = () => Array<string>(columns).fill(' ');
  const grid = Array.from({ length: height }, blank);
  let row = 0;
  let col = 0;
  const nextRow = () => {
    if (row < height - 1) row++;
    else {
      grid.shift();
      grid.push(blank());
    }
  };
  const write = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\u001b') {
        const m = /^\[(\d*)([AJK])/.exec(text.slice(i + 1))!;
        const n = Number(m[1] || 0);
        if (m[2] === 'A') row = Math.max(0, row - n);
        if (m[2] === 'K') grid[row]!.fill(' ');
        if (m[2] === 'J') {
          grid[row]!.fill(' ', col);
          for (let r = row + 1; r < height; r++) grid[r]!.fill(' ');
        }
        i += m[0].length;
      } else if (ch === '\n') {
        nextRow();
        col = 0;
      } else if (ch === '\r') {
        col = 0;
      } else {
        if (col === columns) {
          nextRow();
          col = 0;
        }
        grid[row]![col++] = ch;
      }
    }
  };
  return { write, rows: () => grid.map((r) => r.join('').trimEnd()) };
}
