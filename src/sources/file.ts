import { open, type FileHandle } from "node:fs/promises";
import type { OpenedSource, PhotoSource } from "./types.js";

const CHUNK_BYTES = 1 << 20;

class OpenedFile implements OpenedSource {
  readonly #handle: FileHandle;
  readonly size: number;

  constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.allocUnsafe(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.#handle.read(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break; // the file shrank while we read it
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    for (let offset = 0; ; offset += CHUNK_BYTES) {
      const chunk = await this.read(offset, CHUNK_BYTES);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/** A local file, opened read-only: exifhunt never modifies its inputs. */
export function fileSource(path: string, explicit: boolean): PhotoSource {
  return {
    id: path,
    kind: "file",
    explicit,
    async open(): Promise<OpenedSource> {
      const handle = await open(path, "r");
      try {
        const stat = await handle.stat();
        if (stat.isDirectory()) {
          throw Object.assign(new Error(`${path} is a directory`), { code: "EISDIR" });
        }
        return new OpenedFile(handle, stat.size);
      } catch (error: unknown) {
        await handle.close();
        throw error;
      }
    },
  };
}
