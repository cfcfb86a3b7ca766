import { run } from './publish/run.js';

await run();
