// "1 run", "2 runs", "1.5 attempts": a count with its noun, for every message and label.
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
