/**
 * `omotenashi/email`: inbound e-mail. `createEmailIntake` turns customers' messages into tickets
 * and replies into interactions on the right ticket, ignoring auto-replies, lists, loops, spam and
 * bounces (which mark the address). Parses MIME with postal-mime, an optional peer dependency
 * (`npm install postal-mime`) that runs on Node, Deno, Bun and edge workers; nothing here needs a
 * file system.
 * @module
 */
export { createEmailIntake } from './intake.js';
export type { BounceResult, EmailIntake, EmailIntakeOptions, EmailIntakeResult, EmailLimits, ThreadedVia } from './intake.js';
export type { IgnoreReason } from './noise.js';
export type { MailAddress, ParsedMessage, ParsedAttachment } from './parse.js';
export type { RateCap } from './rate.js';
export { createThreadTokens, baseSubject } from '../../internal/thread-token.js';
export type { FoundToken, ThreadTokens } from '../../internal/thread-token.js';
export { trimReply } from './trim.js';
export type { TrimmedReply } from './trim.js';
export { htmlToText } from './html.js';
export { createMemoryAttachmentStore } from '../../adapters/memory/attachments.js';
export type { AttachmentStorePort, StoredObjectInfo } from '../../ports/attachments.js';
