// Types of scripts/chromium.js, for the browser tests that import it.
export interface FoundChromium {
  executablePath: string;
  args: string[];
  source: 'INCIDENT_LOAD_CHROMIUM' | 'system' | '@sparticuz/chromium';
}

export function findChromium(env?: NodeJS.ProcessEnv): Promise<FoundChromium>;
