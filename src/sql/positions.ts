/**
 * The Postgres parser and scanner report UTF-8 byte offsets; JavaScript strings
 * index UTF-16 code units. This maps one to the other and to line/column.
 */
export interface SourceMap {
  /** Byte offset to string index. */
  charIndex: (byteOffset: number) => number;
  /** String index to 1-based line and column. */
  lineColumn: (index: number) => { line: number; column: number };
}

export function sourceMap(text: string): SourceMap {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const ascii = Buffer.byteLength(text) === text.length;
  const byteToChar = ascii ? null : buildByteTable(text);
  return {
    charIndex: (byteOffset) => {
      if (byteToChar === null) return Math.min(byteOffset, text.length);
      return byteToChar[Math.min(byteOffset, byteToChar.length - 1)] ?? text.length;
    },
    lineColumn: (index) => {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((lineStarts[mid] ?? 0) <= index) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, column: index - (lineStarts[low] ?? 0) + 1 };
    },
  };
}

function buildByteTable(text: string): Int32Array {
  const table = new Int32Array(Buffer.byteLength(text) + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < width; b++) table[byte + b] = i;
    byte += width;
    if (code >= 0x10000) i++;
  }
  table[byte] = text.length;
  return table;
}
