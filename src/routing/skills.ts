/** Skill levels as agents write them. */

/** `billing:3` → billing at 3; `billing` → 1. */
export function parseSkills(skills: ReadonlyArray<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of skills) {
    const m = /^(.*?):(\d+)$/.exec(s);
    const [name, level] = m === null ? [s, 1] : [m[1] as string, Number(m[2])];
    out.set(name, Math.max(out.get(name) ?? 0, level));
  }
  return out;
}
