/**
 * `omotenashi/attachments-fs`: an attachment store in a directory of the local file system (Node,
 * Bun, Deno with Node compatibility). Edge workers have no file system: use your object store there.
 * @module
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ConfigError, ValidationError } from '../../errors.js';
import { isStoreKey, type AttachmentStorePort, type StoredObjectInfo } from '../../ports/attachments.js';

/** Options of {@link createFileAttachmentStore}. */
export interface FileAttachmentStoreOptions {
  /** The directory the bytes go in (created when missing). */
  readonly directory: string;
}

/**
 * An attachment store in a directory: each object is a file named by its key, with its info in a
 * `.json` file beside it. Writes go to a temporary file first and are renamed into place, so a
 * crash never leaves half a file under a key.
 *
 * @example
 * ```ts
 * import { createFileAttachmentStore } from 'omotenashi/attachments-fs';
 * const attachments = createFileAttachmentStore({ directory: './data/attachments' });
 * ```
 * @throws ConfigError when `directory` is missing.
 */
export function createFileAttachmentStore(options: FileAttachmentStoreOptions): AttachmentStorePort {
  if (typeof options?.directory !== 'string' || options.directory.trim() === '') throw new ConfigError('createFileAttachmentStore.directory', 'give the directory to keep attachments in, e.g. "./data/attachments"');
  const root = resolve(options.directory);
  let counter = 0;
  const pathOf = (key: string): string => {
    if (!isStoreKey(key)) throw new ValidationError('attachment key', [{ path: ['key'], message: `"${key.slice(0, 80)}" is not a store key: use /-separated segments of letters, digits, ".", "_" and "-"`, code: 'custom' }]);
    const path = join(root, ...key.split('/'));
    if (!path.startsWith(root + sep)) throw new ValidationError('attachment key', [{ path: ['key'], message: 'the key leaves the store directory', code: 'custom' }]);
    return path;
  };
  const atomically = async (path: string, data: Uint8Array | string): Promise<void> => {
    const tmp = `${path}.${process.pid}.${++counter}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  };
  const missing = (error: unknown): boolean => (error as { code?: unknown }).code === 'ENOENT';
  return {
    name: 'fs',
    async put(key, bytes, info) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await atomically(path, bytes);
      await atomically(`${path}.info.json`, JSON.stringify(info));
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [bytes, info] = await Promise.all([readFile(path), readFile(`${path}.info.json`, 'utf8')]);
        return { bytes: new Uint8Array(bytes), info: JSON.parse(info) as StoredObjectInfo };
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.info.json`, { force: true });
    },
  };
}

export type { AttachmentStorePort, StoredObjectInfo } from '../../ports/attachments.js';
