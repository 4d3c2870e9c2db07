// Audit 2026-12-07, item 1: manifest injection through a profile's name or a --target holding U+2028, a
// newline or a tab. Each reproduction of the audit, and more of the same kind, through the real command:
// refused (exit 2, nothing printed), or printed so that two independent YAML readers — the `yaml` package
// (YAML 1.2) and js-yaml 3 (YAML 1.1) — find exactly the objects k8s meant to write, and agree on every
// value; and no character that kubectl's YAML 1.1 reader (go-yaml) takes for a line break (NEL, U+2028,
// U+2029) is left unescaped anywhere in the output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeLoadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCliInProcess as runCli } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-k8s-injection-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The YAML 1.1 line breaks beyond \n and \r, and what go-yaml refuses to read at all. */
const RAW_UNSAFE = /[\u0085\u2028\u2029\ufeff]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const INJECTED_CONFIGMAP =
  '\u2028    apiVersion: v1\u2028    kind: ConfigMap\u2028    metadata: {name: injected, namespace: kube-system}\u2028    data: {owned: yes} #';

describe('audit item 1: refused before anything is printed', () => {
  it.each([
    [
      "the profile name with U+2028 (the audit's ls2.yaml)",
      [file('ls2.yaml', `name: "qs${INJECTED_CONFIGMAP.replace(/\u2028/g, '\\u2028')}"\nphases: ["a:5s:10"]\n`), '--segments', '2', '--name', 'qs'],
      /name: expected text without control characters or line separators/,
    ],
    [
      'the profile name with U+2029',
      [file('ps.yaml', 'name: "a\\u2029kind: Secret"\nphases: ["a:5s:10"]\n'), '--segments', '2'],
      /name: expected text without control characters or line separators/,
    ],
    [
      'the profile name with NEL',
      [file('nel.yaml', 'name: "a\\x85kind: Secret"\nphases: ["a:5s:10"]\n'), '--segments', '2'],
      /name: expected text without control characters/,
    ],
    [
      'a description with U+2028',
      [file('desc.yaml', 'description: "a\\u2028kind: Secret"\nphases: ["a:5s:10"]\n'), '--segments', '2'],
      /description: expected text without control characters or line separators/,
    ],
    [
      '--target with a newline',
      [
        'quickstart',
        '--segments',
        '2',
        '--target',
        'http://example.com/\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: injected\n  namespace: kube-system\ndata:\n  owned: "yes" #',
      ],
      /--target: expected a URL without spaces, tabs, line breaks or control characters/,
    ],
    [
      '--target with U+2028',
      [
        'quickstart',
        '--segments',
        '2',
        '--target',
        'http://example.com/\u2028apiVersion: v1\u2028kind: ConfigMap\u2028metadata: {name: via-target-ls}\u2028data: {a: b} #',
      ],
      /--target: expected a URL without/,
    ],
    ['--target with a tab', ['smoke', '--segments', '2', '--target', 'http://example.com/x\tx'], /--target: expected a URL without/],
    ['--target with a carriage return', ['smoke', '--segments', '2', '--target', 'http://example.com/\r'], /--target: expected a URL without/],
    [
      "a profile's target with U+2028",
      [file('target.yaml', 'target: "http://example.com/\\u2028kind: Secret"\nphases: ["a:5s:10"]\n'), '--segments', '2'],
      /target: expected a URL without/,
    ],
  ])('%s', async (_, args, message) => {
    const res = await runCli(['k8s', ...(args as string[])]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('validate says the same of the name (it said ok)', async () => {
    const res = await runCli(['validate', file('ls2-validate.yaml', 'name: "qs\\u2028kind: ConfigMap"\nphases: ["a:5s:10"]\n')]);
    expect(res.code).toBe(2);
  });
});

describe('audit item 1: what is printed reads as exactly the objects meant, in YAML 1.1 and 1.2 alike', () => {
  const MOCK_RUN = ['Secret/qs-tokens', 'ConfigMap/qs-profile', 'Service/qs-mock', 'Deployment/qs-mock', 'Service/qs', 'Job/qs'];
  const URL_RUN = ['Secret/qs-tokens', 'ConfigMap/qs-profile', 'Service/qs', 'Job/qs'];
  it.each([
    // The audit's 5.3: kubectl failed to parse the whole apply.
    [
      'a comment with U+2028 in the profile',
      file('comment.yaml', '# c\u2028kind: Secret\u2028metadata: {name: x}\nphases: ["a:5s:10"]\n'),
      [],
      MOCK_RUN,
      'kind: Secret',
    ],
    [
      'a header value with NEL (HTTP allows Latin-1)',
      file('header.yaml', 'phases: ["a:5s:10"]\nrequest:\n  headers: { x-a: "v\\x85kind: Secret" }\n'),
      ['--target', 'https://x.example/'],
      URL_RUN,
      'kind: Secret',
    ],
    [
      'a body with U+2028, U+2029 and a BOM',
      file('body.yaml', `phases: ["a:5s:10"]\nrequest:\n  method: POST\n  body: "{}\\u2028kind: Secret\\u2029---\\uFEFF"\n`),
      ['--target', 'https://x.example/'],
      URL_RUN,
      'kind: Secret',
    ],
    [
      'a profile name of every other special character',
      file('odd.yaml', `name: "a #b: c --- [d] {e} & *f ! | > ' % @ \`"\nphases: ["a:5s:10"]\n`),
      [],
      MOCK_RUN,
      'a #b: c --- [d] {e}',
    ],
  ])('%s', async (_, profile, flags, expected, kept) => {
    const res = await runCli(['k8s', profile, '--segments', '2', '--name', 'qs', ...(flags as string[])]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(RAW_UNSAFE);
    const yaml12 = parseAllDocuments(res.stdout).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as { kind: string; metadata: { name: string } };
    });
    const yaml11 = safeLoadAll(res.stdout) as { kind: string; metadata: { name: string } }[];
    expect(yaml12.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected);
    expect(yaml11.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected);
    expect(yaml11).toEqual(yaml12);
    // The profile the pods read holds what was written, the odd characters with it.
    const configMap = yaml11.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(configMap.data['profile.yaml']).toContain(kept);
  });
});
