import { validate } from '@readme/openapi-parser';
import { createServiceDesk, createMemoryStorage } from './src/index.ts';
import { createHttpApi } from './src/http/index.ts';
const api = createHttpApi({ desk: createServiceDesk({ storage: createMemoryStorage() }), authenticate: () => null, metrics: undefined });
const r = await validate(api.document() as never);
console.log(JSON.stringify(r).slice(0, 3000));
