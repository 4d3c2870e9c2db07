// The layers, as a lint rule: no import runs back up the pipeline (profile -> schedule -> dispatch -> record
// -> report), nothing but the CLI imports the CLI, the kernel (src/core) and the result contract
// (src/result) import nothing above them, the manifests (src/k8s) only the kernel and the mock's contract,
// the mock imports only the kernel, and the load side reaches the mock only through its contract (its
// config, its fault registry, its control API's constants), with the launcher and the preflight's dry run
// for src/run. The proxy (src/proxy) is a program of its own too: it imports the kernel and the control
// plane it shares with the mock (the control API, its guard and token file, the HTTP helpers), and the
// load side reaches it through its fault registry and launcher only. ARCHITECTURE.md explains the layers;
// this enforces them.
// Kept apart from eslint.config.js so a test can check the rule itself (test/style/boundaries.test.ts).

/**
 * The mock, except its contract (mock/config/, the fault registry, the control API's constants): what the
 * load side must not import. Written as what is forbidden, folder by folder, because an ignore pattern
 * cannot take back a file whose folder it already excluded.
 */
const MOCK_INTERNALS = ['**/mock/*.js', '**/mock/model/**', '**/mock/faults/*', '!**/mock/control-api.js', '!**/mock/faults/registry.js'];

/** The proxy, except its contract (its fault registry): what the load side must not import. */
const PROXY_INTERNALS = ['**/proxy/*.js', '**/proxy/faults/*', '!**/proxy/faults/registry.js'];

/** A lint rule refusing imports that match any of the groups of patterns, each with `message`. */
function forbid(message, ...groups) {
  return { 'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group, message })) }] };
}

/** The folders of src/. */
const FOLDERS = ['core', 'result', 'profile', 'schedule', 'dispatch', 'record', 'threshold', 'report', 'run', 'k8s', 'cli', 'mock', 'proxy'];

/** Import patterns for every folder of src/ but `allowed` (a layer may always import itself). */
function allBut(...allowed) {
  return FOLDERS.filter((folder) => !allowed.includes(folder)).map((folder) => `**/${folder}/**`);
}

/** Each layer's refused imports: every folder but itself and the ones named after it, which it may import. */
const REFUSED = {
  core: allBut('core'),
  result: allBut('result', 'core'),
  threshold: allBut('threshold', 'core', 'result'),
  profile: allBut('profile', 'core', 'result', 'schedule', 'threshold', 'mock', 'proxy'),
  schedule: allBut('schedule', 'core', 'result'),
  dispatch: allBut('dispatch', 'core', 'result', 'profile'),
  record: allBut('record', 'core', 'result', 'profile', 'schedule', 'dispatch'),
  report: allBut('report', 'core', 'result', 'profile', 'schedule', 'dispatch', 'threshold', 'mock', 'proxy'),
  // The manifests: laid out from what the k8s command decided, with the kernel and the mock's contract only.
  k8s: allBut('k8s', 'core', 'mock'),
};

export const boundaries = [
  ...Object.entries(REFUSED).map(([layer, above]) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: forbid(`src/${layer} sits below this: no import runs back up the layers (ARCHITECTURE.md)`, [
      ...above,
      ...(above.includes('**/mock/**') ? [] : MOCK_INTERNALS),
      ...(above.includes('**/proxy/**') ? [] : PROXY_INTERNALS),
    ]),
  })),
  {
    files: ['src/run/**/*.ts'],
    rules: forbid(
      'src/run reaches the mock through its contract, its launcher, the preflight dry run and its model in process (virtual time) only (ARCHITECTURE.md)',
      ['**/cli/**'],
      ['**/k8s/**', ...MOCK_INTERNALS, '!**/mock/launch.js', '!**/mock/faults/dry-run.js', '!**/mock/in-process.js'],
      [...PROXY_INTERNALS, '!**/proxy/launch.js'],
    ),
  },
  {
    files: ['src/mock/**/*.ts'],
    rules: forbid('the mock is a program of its own: it imports the kernel (src/core) only (ARCHITECTURE.md)', allBut('mock', 'core')),
  },
  {
    files: ['src/proxy/**/*.ts'],
    rules: forbid('the proxy is a program of its own: it imports the kernel (src/core) and the control plane it shares with the mock only (ARCHITECTURE.md)', [
      ...allBut('proxy', 'core'),
      '!**/mock/control-api.js',
      '!**/mock/control-guard.js',
      '!**/mock/control.js',
      '!**/mock/http-util.js',
      '!**/mock/token-file.js',
    ]),
  },
];
