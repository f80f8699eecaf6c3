import fs from 'node:fs';

/** Clock ticks per second of /proc/PID/stat (getconf CLK_TCK: 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU time (user + system, every thread) of a process so far, µs, from /proc (Linux); NaN elsewhere. */
export function cpuMicros(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
