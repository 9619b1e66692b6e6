/** What is known of stored bytes besides the bytes. */
export interface StoredObjectInfo {
  /** The MIME type, e.g. `application/pdf`. */
  readonly contentType: string;
  /** The file name the sender gave. */
  readonly name: string;
  /** The size in bytes. */
  readonly sizeBytes: number;
}

/**
 * Where attachment bytes and raw e-mail sources live, outside the desk's records (tickets keep
 * only a reference: the attachment's `storageKey`). Adapters: memory (`createMemoryAttachmentStore`),
 * the file system (`omotenashi/attachments-fs`), or your object store (S3, R2, GCS) behind
 * these three methods.
 *
 * Contract: keys are `/`-separated segments of letters, digits, `.`, `_` and `-` (no `..`);
 * `put` with a key that exists replaces it (the intake writes each key once, so a retried
 * delivery writes the same bytes again); `get` returns a copy or null.
 */
export interface AttachmentStorePort {
  /** A short name for errors. */
  readonly name: string;
  /** Store bytes under a key. */
  put(key: string, bytes: Uint8Array, info: StoredObjectInfo): Promise<void>;
  /** The bytes and their info, or null when nothing is stored under the key. */
  get(key: string): Promise<{ bytes: Uint8Array; info: StoredObjectInfo } | null>;
  /** Remove what is stored under the key (nothing happens when there is none). */
  delete(key: string): Promise<void>;
}

/** Whether a key keeps to the attachment store contract (safe as a path and as an object name). */
export const isStoreKey = (key: string): boolean => key.length <= 512 && /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/.test(key) && !key.split('/').some((s) => s === '.' || s === '..');
