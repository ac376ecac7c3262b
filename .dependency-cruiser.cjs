// The layering of src/ (docs/ARCHITECTURE.md explains each layer). `npm run lint:layers` checks it; CI runs it.
//   entry points (main, boot, cli, demo)  →  http, compat (dialects)  →  flows, jobs  →  modules
//   →  events, auth, providers, sandbox, secrets  →  db, domain, and the shared root files (errors, clock, …)
const MODULES = 'orders|payments|refunds|members|catalog|coupons|merchants|staff|addresses|webhooks|reports';
const MODULE = `^src/(${MODULES})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other are one tangle: move the shared part down a layer, or into a flow.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-imports-no-other-module',
      comment: 'A module owns its tables and guarded writes; work that spans modules is a flow (src/flows/).',
      severity: 'error',
      from: { path: MODULE },
      to: { path: MODULE, pathNot: '^src/$1/' },
    },
    {
      name: 'module-imports-nothing-above-it',
      comment: 'Modules sit below flows, jobs, HTTP and the dialects.',
      severity: 'error',
      from: { path: MODULE },
      to: { path: '^src/(flows|jobs|http|compat|cli|demo|backup|boot)/|^src/main\\.ts$' },
    },
    {
      name: 'flows-import-no-transport',
      comment: 'A flow is a business verb: it knows nothing of HTTP, the dialects or the command line.',
      severity: 'error',
      from: { path: '^src/(flows|jobs)/' },
      to: { path: '^src/(http|compat|cli|demo|boot)/|^src/main\\.ts$' },
    },
    {
      name: 'dialects-only-parse-call-map',
      comment:
        'A dialect parses, calls a flow or a module read, and maps: no SQL, no provider types, no HTTP internals.',
      severity: 'error',
      from: { path: '^src/compat/' },
      to: { path: '^src/(db|providers|http|sandbox)/' },
    },
    {
      name: 'infrastructure-imports-no-business',
      comment: 'Events, auth, providers, the simulator, secrets and the database know nothing of modules or flows.',
      severity: 'error',
      from: { path: '^src/(events|auth|providers|sandbox|secrets|db)/' },
      to: { path: `${MODULE}|^src/(flows|jobs|http|compat|cli|demo)/` },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is plain calculation: no database, no I/O, nothing of ordo outside domain/.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/', dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
