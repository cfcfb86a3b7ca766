// Loaded with --import by the bench: writes the process's peak resident memory (KiB) to BENCH_PEAK_RSS_FILE on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.BENCH_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS)));
