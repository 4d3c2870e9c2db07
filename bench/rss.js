// Peak resident memory of a running process, from /proc/<pid>/status: VmHWM is the kernel's own
// high-water mark of VmRSS, so sampling it misses nothing that happened before the last sample; only
// growth after the last sample (while exiting) is missed, which rss-at-exit.js covers from inside.
import { readFileSync } from 'node:fs';

export function readStatusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples VmHWM every `intervalMs` until stop(), which returns the largest value seen (kB). */
export function watchPeakRss(pid, intervalMs = 100) {
  let peakHwmKb = 0;
  const sample = () => {
    const kb = readStatusKb(pid, 'VmHWM');
    if (kb !== undefined && kb > peakHwmKb) peakHwmKb = kb;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakHwmKb: peakHwmKb || undefined };
    },
  };
}
