#!/usr/bin/env node
// `npm run build`, and the build step of `npm start`, `npm run demo`, `npm run generate` and
// `npm run start:func`: TypeScript's incremental build (tsconfig.build.json keeps its build info in
// dist/), so an unchanged tree costs a second instead of a full type check, then the outputs of deleted
// sources are removed, since the local host and the Functions host load every dist/functions/*.js.
// Plain JavaScript because it runs before anything is compiled.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = performance.now();
const require = createRequire(import.meta.url);
/** @type {typeof import('typescript')} */
const ts = require('typescript');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = join(ROOT, 'tsconfig.build.json');
/** What tsc writes for a source; nothing else under dist/ is touched. */
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const out = process.stdout;
out.write('building… ');
let lineOpen = true;
const endLine = () => {
  if (lineOpen) out.write('\n');
  lineOpen = false;
};

const formatHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => '\n',
};
const pretty = Boolean(process.stderr.isTTY);
let errors = 0;
const reportDiagnostic = (diagnostic) => {
  if (diagnostic.category === ts.DiagnosticCategory.Error) errors++;
  endLine();
  process.stderr.write(
    pretty
      ? ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost)
      : ts.formatDiagnostics([diagnostic], formatHost),
  );
};

const expected = expectedOutputs();
// NOTE: the build info says what was built, not what is still there; a compiled file deleted by hand
// would never come back without a full build.
const missing = [...expected.outputs.values()].some((file) => !existsSync(file));
const host = ts.createSolutionBuilderHost(ts.sys, undefined, reportDiagnostic, () => {});
const builder = ts.createSolutionBuilder(host, [CONFIG], { force: missing });
let written = 0;
let upToDate = true;
for (let project = builder.getNextInvalidatedProject(); project; project = builder.getNextInvalidatedProject()) {
  // NOTE: newer timestamps over the same contents (a checkout, a save without edits) only need the
  // outputs' stamps moved; that is "up to date" too.
  if (project.kind === ts.InvalidatedProjectKind.Build) upToDate = false;
  project.done(undefined, (file, text, bom) => {
    written++;
    ts.sys.writeFile(file, text, bom);
  });
}

const removed = removeOrphanOutputs();
const pruned =
  removed.length === 0
    ? ''
    : `; removed ${removed.length} output${removed.length === 1 ? '' : 's'} of deleted sources (${removed
        .slice(0, 3)
        .join(', ')}${removed.length > 3 ? ', …' : ''})`;
if (errors > 0) {
  endLine();
  process.stderr.write(
    `build: ${errors} type error${errors === 1 ? '' : 's'} (above) in ${seconds()}; dist/ holds the output anyway${pruned}\n`,
  );
  process.exitCode = 1;
} else {
  // The line "building… " is still open unless a diagnostic was printed under it.
  const result = upToDate
    ? `up to date (${seconds()})`
    : `${written} file${written === 1 ? '' : 's'} written in ${seconds()}`;
  out.write(`${lineOpen ? '' : 'build: '}${result}${pruned}\n`);
}

/** The files tsc writes for the sources the config names, keyed as the file system compares names. */
function expectedOutputs() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    CONFIG,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: reportDiagnostic,
    },
  );
  const outputs = new Map();
  if (parsed === undefined) return { outDir: undefined, outputs };
  const ignoreCase = !ts.sys.useCaseSensitiveFileNames;
  for (const source of parsed.fileNames)
    for (const file of ts.getOutputFileNames(parsed, source, ignoreCase)) outputs.set(key(file), file);
  return { outDir: parsed.options.outDir, outputs };
}

function key(file) {
  return ts.sys.useCaseSensitiveFileNames ? resolve(file) : resolve(file).toLowerCase();
}

/**
 * Deletes compiled files under the output folder whose source is gone, and folders left empty: tsc
 * never does, and a stale dist/functions/old.js would still register a function.
 */
function removeOrphanOutputs() {
  const { outDir, outputs } = expected;
  if (outDir === undefined) return [];
  const removed = [];
  const sweep = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      // No output folder yet (a build that failed before writing): nothing to remove.
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        sweep(path);
        try {
          rmdirSync(path);
        } catch {
          // Not empty: it still holds outputs.
        }
      } else if (OUTPUT.test(entry.name) && !outputs.has(key(path))) {
        rmSync(path, { force: true });
        removed.push(relative(ROOT, path));
      }
    }
  };
  sweep(outDir);
  return removed;
}
