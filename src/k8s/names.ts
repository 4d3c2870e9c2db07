// What a Kubernetes object's name, a namespace, an image reference and a resource quantity may be, checked
// before any manifest is written (the apiserver would refuse them later, one at a time, after part of a run
// was applied), and the names every object of a run derives from its one name.

/** RFC 1035 label: what Service names (and so this run's name, which names its Services) must be. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 label: what a namespace must be. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_MAX = 63;

/** A component of an image path, and the reference grammar of the distribution project, simplified. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`);

/** A Kubernetes resource quantity as requests and limits take it, above zero: "500m", "1", "512Mi". */
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The suffixes this run's objects add to its name; the longest bounds the name. */
const MOCK_SUFFIX = '-mock';

export class ManifestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestInputError';
  }
}

/**
 * The run's name: the Job's and its headless Service's, the prefix of every other object's. A DNS-1035
 * label short enough that `<name>-mock` and each pod's hostname `<name>-<index>` are labels too.
 */
export function checkRunName(name: string, segments: number): string {
  const longest = Math.max(MOCK_SUFFIX.length, `-${segments - 1}`.length);
  const max = LABEL_MAX - longest;
  if (!DNS_1035_LABEL.test(name) || name.length > max)
    throw new ManifestInputError(
      `--name: expected a DNS label of at most ${max} characters (lower-case letters, digits and "-", starting with a letter, not ending with "-"), so that ${name.length > max ? "the pods' hostnames and the mock's Service name" : "every object's name"} stay labels too; got ${JSON.stringify(name)}`,
    );
  return name;
}

export function checkNamespace(namespace: string): string {
  if (!DNS_1123_LABEL.test(namespace) || namespace.length > LABEL_MAX)
    throw new ManifestInputError(
      `--namespace: expected a DNS label of at most ${LABEL_MAX} characters (lower-case letters, digits and "-", not starting or ending with "-"), got ${JSON.stringify(namespace)}`,
    );
  return namespace;
}

export function checkImage(image: string): string {
  if (image.length > 512 || !IMAGE.test(image))
    throw new ManifestInputError(
      `--image: expected an image reference such as ghcr.io/org/incident-load:1.2.3 or registry:5000/team/il@sha256:<64 hex> (lower-case path, optional tag and digest), got ${JSON.stringify(image)}`,
    );
  return image;
}

export function checkQuantity(flag: string, value: string): string {
  if (!QUANTITY.test(value) || Number(/^[\d.]+/.exec(value)![0]) <= 0)
    throw new ManifestInputError(`${flag}: expected a Kubernetes quantity above zero such as 500m, 2 or 512Mi, got ${JSON.stringify(value)}`);
  return value;
}

/** The name a bundled or file profile gives a run by default: "incident-load-<profile>", made a label. */
export function defaultRunName(profileName: string, segments: number): string {
  const max = LABEL_MAX - Math.max(MOCK_SUFFIX.length, `-${segments - 1}`.length);
  const slug = profileName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `incident-load${slug ? `-${slug}` : ''}`.slice(0, max).replace(/-+$/, '');
}

/** Every object's name, from the run's. */
export function objectNames(name: string): {
  job: string;
  barrierService: string;
  profile: string;
  tokens: string;
  mock: string;
} {
  return { job: name, barrierService: name, profile: `${name}-profile`, tokens: `${name}-tokens`, mock: `${name}${MOCK_SUFFIX}` };
}
