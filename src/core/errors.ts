// Bad input of any kind (a flag, a profile, a URL): the CLI prints the message as one paragraph on stderr
// and exits 2. Thrown anywhere below src/cli/ as a plain value; only src/cli/ turns it into an exit.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a message may quote of a value someone else wrote (a profile's, a log's): one readable line. */
export const QUOTED_CHARS_MAX = 400;

/** One problem stays one readable line, however long the value it quotes: at most QUOTED_CHARS_MAX characters. */
export function truncateProblem(message: string): string {
  return message.length > QUOTED_CHARS_MAX ? `${message.slice(0, QUOTED_CHARS_MAX - 1)}…` : message;
}
