import * as z from 'zod';

/**
 * An attachment reference: what it is and where its bytes are (the desk never keeps the bytes in
 * its records). E-mail attachments name the attachment store's `storageKey`.
 */
export const AttachmentSchema = z.object({
  name: z.string().min(1),
  contentType: z.string().optional(),
  url: z.url().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  /** The MIME `Content-ID` an HTML body refers to it by (`cid:`), without angle brackets. */
  contentId: z.string().min(1).optional(),
  /** Shown inside the message (an inline image) rather than offered as a file. */
  inline: z.boolean().optional(),
  /** The key of its bytes in an attachment store. */
  storageKey: z.string().min(1).optional(),
});
/** An attachment reference. */
export interface Attachment extends z.infer<typeof AttachmentSchema> {}
