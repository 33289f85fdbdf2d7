import { runEventsCli } from './events-cli.ts';

process.exitCode = await runEventsCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  fetch,
});
