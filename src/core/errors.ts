// Bad input of any kind (a flag, a profile, a URL): the CLI prints the message as one paragraph on stderr
// and exits 2. Thrown anywhere below src/cli/ as a plain value; only src/cli/ turns it into an exit.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
