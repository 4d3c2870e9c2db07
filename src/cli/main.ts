// Entry point of bin/incident-load.js.
import { runCli } from './program.js';

const code = await runCli(process.argv);
if (code !== undefined) process.exitCode = code;
