export async function main(argv: string[], io: { cwd: string; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  io.stdout.write(`args ${argv.join(' ')} ${io.cwd}\n`);
  return 0;
}
