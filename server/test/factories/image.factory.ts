/** Tiny image files for upload and EXIF tests (only what magic-byte sniffing and EXIF parsers read). */

type Entry = { tag: number; type: 2 | 4 | 5; count: number; data: Buffer };

const ascii = (tag: number, text: string): Entry => {
  const data = Buffer.from(`${text}\0`, 'latin1');
  return { tag, type: 2, count: data.length, data };
};
const long = (tag: number, value: number): Entry => {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(value);
  return { tag, type: 4, count: 1, data };
};
const rationals = (tag: number, values: [number, number][]): Entry => {
  const data = Buffer.alloc(8 * values.length);
  values.forEach(([n, d], i) => {
    data.writeUInt32BE(n, i * 8);
    data.writeUInt32BE(d, i * 8 + 4);
  });
  return { tag, type: 5, count: values.length, data };
};

/** Serialises one IFD at `offset` (big-endian TIFF); values over 4 bytes follow the IFD. */
function ifd(entries: Entry[], offset: number): Buffer {
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  head.writeUInt16BE(entries.length, 0);
  let extraOffset = offset + head.length;
  const extras: Buffer[] = [];
  entries.forEach((e, i) => {
    const at = 2 + i * 12;
    head.writeUInt16BE(e.tag, at);
    head.writeUInt16BE(e.type, at + 2);
    head.writeUInt32BE(e.count, at + 4);
    if (e.data.length <= 4) e.data.copy(head, at + 8);
    else {
      head.writeUInt32BE(extraOffset, at + 8);
      extras.push(e.data);
      extraOffset += e.data.length;
    }
  });
  return Buffer.concat([head, ...extras]);
}

const dms = (deg: number): [number, number][] => {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
  return [
    [d, 1],
    [m, 1],
    [s, 1000],
  ];
};

/** A JPEG whose EXIF says when (`YYYY:MM:DD HH:MM:SS`, camera local time) and where it was taken. */
export function jpegWithExif(opts: { takenAt?: string; offset?: string; latitude?: number; longitude?: number } = {}): Buffer {
  const sizeOfIfd = (n: number, extra: number) => 2 + n * 12 + 4 + extra;
  const exifEntries = [...(opts.takenAt ? [ascii(0x9003, opts.takenAt)] : []), ...(opts.offset ? [ascii(0x9011, opts.offset)] : [])];
  const gpsEntries =
    opts.latitude !== undefined && opts.longitude !== undefined
      ? [
          ascii(0x0001, opts.latitude >= 0 ? 'N' : 'S'),
          rationals(0x0002, dms(opts.latitude)),
          ascii(0x0003, opts.longitude >= 0 ? 'E' : 'W'),
          rationals(0x0004, dms(opts.longitude)),
        ]
      : [];
  const ifd0Count = 1 + (exifEntries.length ? 1 : 0) + (gpsEntries.length ? 1 : 0);
  const make = ascii(0x010f, 'WW');
  const ifd0Size = sizeOfIfd(ifd0Count, 0);
  const exifOffset = 8 + ifd0Size;
  const exifBuf = exifEntries.length ? ifd(exifEntries, exifOffset) : Buffer.alloc(0);
  const gpsOffset = exifOffset + exifBuf.length;
  const gpsBuf = gpsEntries.length ? ifd(gpsEntries, gpsOffset) : Buffer.alloc(0);
  const ifd0Entries = [
    make,
    ...(exifEntries.length ? [long(0x8769, exifOffset)] : []),
    ...(gpsEntries.length ? [long(0x8825, gpsOffset)] : []),
  ];
  const tiff = Buffer.concat([Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), ifd(ifd0Entries, 8), exifBuf, gpsBuf]);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1Len = Buffer.alloc(2);
  app1Len.writeUInt16BE(app1Body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), app1Len, app1Body, Buffer.from([0xff, 0xd9])]);
}

export const plainJpeg = () =>
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
export const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
export const webp = () =>
  Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([24, 0, 0, 0]), Buffer.from('WEBPVP8 ', 'latin1'), Buffer.alloc(16)]);
