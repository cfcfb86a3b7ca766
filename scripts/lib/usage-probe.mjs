// Loaded with --import by the bench: on exit, writes the process's peak resident memory (KiB) and the CPU time it
// used (ms, user and system) to BENCH_USAGE_FILE as JSON.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ maxRssKib: usage.maxRSS, cpuMs }));
});
