import { build } from 'esbuild';
const out = await build({ stdin: { contents: "import { createEmailIntake } from 'omotenashi/email'; console.log(createEmailIntake);", resolveDir: '/work/main', loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', mainFields: ['module','main'], write: false, metafile: true, logLevel: 'error' });
const inputs = Object.entries(out.metafile.outputs)[0][1].inputs;
const rows = Object.entries(inputs).map(([k,v]) => [k.replace(/.*node_modules\//,'nm/').replace(/^dist\/esm\//,''), v.bytesInOutput]).sort((a,b)=>b[1]-a[1]);
const groups = {}; for (const [k,v] of rows) { const g = k.startsWith('nm/') ? k.split('/').slice(0,2).join('/') : k.split('/').slice(0,2).join('/'); groups[g]=(groups[g]??0)+v; }
console.log(Object.entries(groups).sort((a,b)=>b[1]-a[1]).slice(0,12));
