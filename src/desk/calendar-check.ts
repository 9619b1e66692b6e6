import { ValidationError } from '../errors.js';

/**
 * Refuse a calendar name (an agent's working hours, a team's, a customer's or an organisation's
 * SLA calendar) that the desk's SLA configuration does not define.
 * @throws ValidationError at `calendar`, listing the names it knows.
 */
export function checkCalendar(calendars: ReadonlyMap<string, unknown> | undefined, id: string | null | undefined, subject: string): void {
  if (id === undefined || id === null || calendars?.has(id) === true) return;
  throw new ValidationError(subject, [{ path: ['calendar'], message: `no calendar "${id}" in the desk's SLA calendars (known: ${[...(calendars?.keys() ?? [])].join(', ') || 'none'})`, code: 'custom' }]);
}
