import * as z from 'zod';

/** Schema of hours, for use inside larger configuration schemas. */
export const HoursSchema = z.array(z.tuple([z.string(), z.string()]));
