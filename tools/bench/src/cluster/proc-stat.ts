// CPU time and resident memory of a process from /proc, so a benchmark charges each process for
// its own work whatever else the machine runs (load average shifts wall time, not these).
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  /** User + system CPU time used so far, in seconds. */
  readonly cpu: number;
  /** Resident set size in MiB. */
  readonly rss: number;
}

export async function procStat(pid: number): Promise<ProcStat> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime, stime follow.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024 };
}
