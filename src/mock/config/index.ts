// The mock's configuration, its contract with the rest of the tool: a profile's `mock:` section, `--mock
// key=value` overrides and the `set` fault all land here. People write units ("exp:20s", "1m", "4GB",
// "50MB/s"); the model reads plain numbers. The load side may import this (and only this of the mock,
// with the fault registry and the launcher): it never reaches the model.
export type * from './types.js';
export { parseByteRate, parseServiceTime, meanServiceTime, mockValue } from './values.js';
export { mockConfigSchema, mockConfigDataSchema, defaultMockConfig, checkMockConfig, mockConfigPaths } from './schema.js';
export { parseMockOverride, applyMockOverride } from './override.js';
