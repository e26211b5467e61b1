/**
 * A tiny but complete baseline JPEG made here, byte by byte: one 8x8 grey block whose Huffman tables have a single
 * one-bit code each, so the whole scan is the two bits "DC diff 0, end of block".
 */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ];
  const huffmanTable = (tableClass: number) => [tableClass << 4, 1, ...Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF 1.1
    ...segment(0xdb, [0, ...Array<number>(64).fill(1)]), // quantisation table 0: all ones
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // baseline, 8x8, one component
    ...segment(0xc4, huffmanTable(0)), // DC table 0
    ...segment(0xc4, huffmanTable(1)), // AC table 0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // start of scan
    0x3f, // "0" (DC diff 0) "0" (EOB), padded with ones
    0xff,
    0xd9, // EOI
  ]);
}
