// The charting library the report inlines: uPlot (MIT), read from its npm package at render time, so the
// report carries it whole and loads nothing from anywhere. Read once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ChartLibrary {
  script: string;
  css: string;
  version: string;
}

let cached: ChartLibrary | undefined;

export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (file: string): string => readFileSync(require.resolve(`uplot/${file}`), 'utf8');
  const pkg = JSON.parse(read('package.json')) as { version: string };
  cached = { script: read('dist/uPlot.iife.min.js'), css: read('dist/uPlot.min.css'), version: pkg.version };
  return cached;
}
