// js-yaml 3 (a dev dependency): a YAML 1.1 reader independent of the `yaml` package, for the manifests'
// tests. Only what they use.
declare module 'js-yaml' {
  export function safeLoadAll(text: string): unknown[];
}
