// Preloaded into the measured incident-load process (`node --import bench/rss-at-exit.js ...`): at exit it
// writes its own VmHWM (peak RSS, kB) to $BENCH_RSS_FILE, so the figure includes the report and JSON
// written at the very end. It changes nothing else in the process.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) writeFileSync(file, m[1]);
    } catch {
      // the sampled figure still stands
    }
  });
}
