// Builds ordo's entry points into dist/ (gitignored): `npm start` runs dist/main.js, not the TypeScript sources.
// One file per entry, each bundled with its libraries, so starting ordo reads and compiles one file instead of
// transpiling ~200 modules with tsx and resolving ~1,000 library files. Run it as `node scripts/build.mjs`.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(repo, 'dist');
// esbuild is the compiler tsx runs the sources with (installed with tsx): the build compiles them the same way
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');

const ENTRIES = { main: 'src/main.ts', serve: 'src/cli/serve.ts', ordo: 'src/cli/ordo.ts', seed: 'src/cli/seed.ts' };

// Left as imports from node_modules: packages that read files next to their own code at run time (PGlite's wasm and
// data files, swagger-ui's page assets, @fastify/swagger's package.json, svg-captcha's font) and pg's optional
// native binding.
const EXTERNAL = ['@electric-sql/pglite', '@fastify/swagger', '@fastify/swagger-ui', 'svg-captcha', 'pg-native'];

// A source file that finds files relative to itself (`new URL('../../../web/', import.meta.url)`) keeps doing so
// from inside the bundle: its import.meta.url becomes its own source file's URL, computed from the bundle's.
const sourceRelativeUrls = {
  name: 'source-relative-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = relative(outdir, args.path).split('\\').join('/');
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: repo,
  entryPoints: ENTRIES,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  // bundled CommonJS libraries call require() for Node's own modules; an ES module has none of its own
  banner: {
    js: "import { createRequire as __ordoCreateRequire } from 'node:module'; const require = __ordoCreateRequire(import.meta.url);",
  },
  // for TypeScript positions in stack traces: node --enable-source-maps dist/main.js (off by default: it costs start time and memory)
  sourcemap: 'linked',
  // no comments or indentation: the bundle's text stays in memory while ordo runs (names are kept, for stack traces)
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  plugins: [sourceRelativeUrls],
  write: false,
  logLevel: 'warning',
});

// Each file is written beside its final name and renamed into place, so a process starting from dist/ while another
// build runs (tests build concurrently) never reads a half-written file; unchanged files are left alone.
mkdirSync(outdir, { recursive: true });
for (const file of result.outputFiles) {
  let current = null;
  try {
    current = readFileSync(file.path);
  } catch {
    // first build
  }
  if (current && Buffer.compare(current, file.contents) === 0) continue;
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
