/** The value after `name` on the script's command line (`--sizes 5000,100000`), if the flag is there. */
export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}
