import { ValidationError } from '../../errors.js';
import { isStoreKey, type AttachmentStorePort, type StoredObjectInfo } from '../../ports/attachments.js';

/**
 * An attachment store in this process's memory: for tests, demos and the e-mail example.
 * Everything is lost when the process ends; use the file-system store or your object store to keep bytes.
 *
 * @example
 * ```ts
 * const attachments = createMemoryAttachmentStore();
 * const intake = createEmailIntake({ desk, addresses: ['support@desk.example'], attachments });
 * ```
 */
export function createMemoryAttachmentStore(): AttachmentStorePort & { readonly size: number } {
  const objects = new Map<string, { bytes: Uint8Array; info: StoredObjectInfo }>();
  const checked = (key: string): string => {
    if (!isStoreKey(key)) throw new ValidationError('attachment key', [{ path: ['key'], message: `"${key.slice(0, 80)}" is not a store key: use /-separated segments of letters, digits, ".", "_" and "-"`, code: 'custom' }]);
    return key;
  };
  return {
    name: 'memory',
    get size() {
      return objects.size;
    },
    put(key, bytes, info) {
      objects.set(checked(key), { bytes: bytes.slice(), info: { ...info } });
      return Promise.resolve();
    },
    get(key) {
      const found = objects.get(checked(key));
      return Promise.resolve(found === undefined ? null : { bytes: found.bytes.slice(), info: { ...found.info } });
    },
    delete(key) {
      objects.delete(checked(key));
      return Promise.resolve();
    },
  };
}
