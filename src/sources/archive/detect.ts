/**
 * Archives recognised by content (magic bytes), like photos: a dump named `photos.dat` is still a
 * zip, and a `.zip` that is not one is not opened as one.
 */

/** Archives exifhunt reads in place. A gzip stream is read as a tar.gz (docs/archives.md). */
export type ArchiveFormat = "zip" | "tar" | "gzip";

export type ArchiveKind =
  | { readonly supported: true; readonly format: ArchiveFormat }
  /** Recognised but not read: the record's error names what it is. */
  | { readonly supported: false; readonly name: string };

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
}

/** Magic numbers of archive formats named in error records rather than read. */
const UNSUPPORTED: readonly { name: string; signature: readonly number[] }[] = [
  { name: "a 7-Zip archive", signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: "a RAR archive", signature: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: "an xz-compressed file", signature: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: "a Zstandard-compressed file", signature: [0x28, 0xb5, 0x2f, 0xfd] },
];

/** "ustar" */
const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72];

/** POSIX ustar and GNU tar both write "ustar" at offset 257 of every header block. */
export function isTarHeader(bytes: Uint8Array): boolean {
  return startsWith(bytes, USTAR, 257);
}

/** The archive format of a file from its first bytes; null when it is not an archive. */
export function detectArchive(bytes: Uint8Array): ArchiveKind | null {
  // A local file header; an empty zip is only its end-of-central-directory record.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return { supported: true, format: "zip" };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x07, 0x08])) return { supported: false, name: "a split (multi-part) zip archive" };
  if (startsWith(bytes, [0x1f, 0x8b, 0x08])) return { supported: true, format: "gzip" };
  if (isTarHeader(bytes)) return { supported: true, format: "tar" };
  for (const { name, signature } of UNSUPPORTED) {
    if (startsWith(bytes, signature)) return { supported: false, name };
  }
  // "BZh" and the block size, a digit 1-9.
  if (startsWith(bytes, [0x42, 0x5a, 0x68]) && bytes.length > 3 && (bytes[3] ?? 0) >= 0x31 && (bytes[3] ?? 0) <= 0x39) {
    return { supported: false, name: "a bzip2-compressed file" };
  }
  return null;
}
