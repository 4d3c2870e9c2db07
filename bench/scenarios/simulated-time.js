// 5. Simulated time: at --speed 1, 60 and 600, does a request that the mock is configured to serve in
// C incident ms take C incident ms, as the client sees it?
//
// The measurement is incident-load's own client-side service time (`serviceMs`: from the actual send
// of the request to its answer, converted to incident ms by the run's speed), minus the part of it that
// is not simulated service: the HTTP round trip through the generator and the mock, measured the same
// way against the same mock with a 1 µs service time at speed 1, and scaled by the speed. The mock's own
// `server-timing` service value is not used: it reports the model's figure, which equals the
// configured time by construction and so would prove nothing about the clock.
//
// C is chosen so the wall-clock service is the same 50 ms at every speed (50 ms, 3 s, 30 s): a fixed
// wall-clock error (a late timer) then weighs the same at each speed, and the question is only whether
// incident time is scaled right. Constant service times isolate the clock from sampling noise.
import { startMock } from '../targets.js';
import { fmt, markdownTable, median, spread } from '../table.js';

const SPEEDS = [1, 60, 600];
const WALL_SERVICE_MS = 50;
const WALL_RATE = 200;
const WORKERS = 1000;

export default {
  id: 'simulated-time',
  title: 'Simulated time at --speed 1, 60 and 600',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const { incidentLoad } = ctx.peers;
    const mocks = [];
    try {
      const overheadMock = await startMock({ mock: [`fleet.workers=${WORKERS}`, 'fleet.serviceTime=1us'], speed: 1 });
      mocks.push(overheadMock);
      const cases = [];
      for (const speed of SPEEDS) {
        const configuredMs = WALL_SERVICE_MS * speed;
        const mock = await startMock({ mock: [`fleet.workers=${WORKERS}`, `fleet.serviceTime=${configuredMs}ms`], speed });
        mocks.push(mock);
        cases.push({ speed, configuredMs, mock, runs: [], overheads: [] });
      }
      // --control names the mock's control API: a --speed against a URL is refused otherwise (only a mock
      // keeps incident time), and with it the run checks that the mock runs at that speed.
      const runAt = (mock, speed, timeoutMs) =>
        incidentLoad.run({
          url: mock.url,
          speed,
          extra: ['--control', mock.control()],
          // Incident time: the same wall duration and wall rate at every speed.
          phases: [`x:${seconds * speed}s:${(WALL_RATE * 60) / speed}/m`],
          connections: 50,
          timeout: `${timeoutMs}ms`,
        });
      for (let round = 0; round < ctx.rounds; round++) {
        ctx.log(`simulated-time: overhead (1 µs service, speed 1), round ${round + 1}/${ctx.rounds}`);
        const overhead = await runAt(overheadMock, 1, 10_000);
        for (const c of cases) {
          c.overheads.push(overhead.service.mean);
          ctx.log(`simulated-time: speed ${c.speed}, service ${c.configuredMs} ms, round ${round + 1}/${ctx.rounds}`);
          c.runs.push(await runAt(c.mock, c.speed, c.configuredMs * 10));
        }
      }
      const rows = [];
      const summary = [];
      for (const c of cases) {
        const measured = c.runs.map((r) => r.service.mean);
        const overhead = c.overheads.map((o) => o * c.speed);
        const corrected = measured.map((m, i) => m - overhead[i]);
        const errors = corrected.map((m) => m / c.configuredMs - 1);
        const rawErrors = measured.map((m) => m / c.configuredMs - 1);
        const bad = c.runs.reduce((a, r) => a + r.errors, 0);
        rows.push([
          String(c.speed),
          `${fmt.int(c.configuredMs)} ms`,
          fmt.int(median(c.runs.map((r) => r.ok))),
          spread(measured, fmt.ms),
          spread(rawErrors, fmt.pct),
          spread(overhead, fmt.ms),
          spread(corrected, fmt.ms),
          spread(errors, fmt.pct),
          String(bad),
        ]);
        summary.push({
          scenario: '5. simulated time',
          figure: `mean service vs configured at --speed ${c.speed}`,
          target: 'within 2 %',
          measured: spread(errors, fmt.pct),
          holds: Math.abs(median(errors)) <= 0.02 && bad === 0,
        });
      }
      const table = markdownTable(
        ['speed', 'configured', 'requests', 'measured mean ms', 'raw error', 'overhead ms', 'corrected mean ms', 'error', 'failed'],
        rows,
      );
      return {
        summary,
        body: `${table}

All figures in incident ms. Each mock: \`incident-load mock --mock fleet.workers=${WORKERS} --mock fleet.serviceTime=<configured>ms --speed <speed>\`,
on the target core; the generator: \`incident-load ramp --target <mock> --speed <speed>\` with a phase of ${seconds} s and
${WALL_RATE} req/s in wall time (e.g. \`x:${seconds * 60}s:${(WALL_RATE * 60) / 60}/m\` at speed 60). ${ctx.rounds} interleaved round(s).

How it is measured, and why: "measured mean" is incident-load's client-side \`serviceMs.mean\` (actual send to
answer, scaled to incident time). "overhead" is the same figure against the same mock configured with a 1 µs
service at speed 1 (the HTTP round trip through generator and mock), measured in the same round and
multiplied by the speed; "corrected" = measured − overhead, and "error" compares it with the configured time.
"raw error" is before the correction. The configured times give the same 50 ms of wall time at each speed,
so a fixed wall-clock error weighs the same at each speed. The mock's own \`server-timing\` service figure is
not used: it is the model's number, equal to the configuration by construction.`,
      };
    } finally {
      await Promise.all(mocks.map((m) => m.stop()));
    }
  },
};
