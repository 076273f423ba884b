/**
 * Whether lshift must hold its terminal output for now: it runs as a background job (`lshift
 * deploy … &`) of the terminal it writes to, and that terminal has TOSTOP set (`stty tostop`).
 * Then the kernel stops a process that writes to it with SIGTTOU — a deploy stopped mid-shift
 * with nobody watching, like Ctrl-Z — unless SIGTTOU is ignored or blocked, which Node cannot
 * do (https://man7.org/linux/man-pages/man3/termios.3.html, TOSTOP; the kernel's
 * tty_check_change). Pure: the shell reads /proc and stty (src/cli/background-terminal.ts).
 */

/** The fields of /proc/<pid>/stat that job control needs (proc(5): fields 5, 7 and 8). */
export interface JobControlStat {
  /** The process group. */
  pgrp: number;
  /** The device number of the controlling terminal (0: none). */
  ttyNr: number;
  /** The foreground process group of the controlling terminal (-1: none). */
  tpgid: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold
 * spaces and `)`, so the fields are counted after its last `)`.
 */
export function parseProcStat(text: string): JobControlStat | undefined {
  const end = text.lastIndexOf(')');
  if (end < 0) return undefined;
  // After the name: state (3), ppid (4), pgrp (5), session (6), tty_nr (7), tpgid (8).
  const fields = text
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  const [pgrp, ttyNr, tpgid] = [fields[2], fields[4], fields[5]].map(Number);
  if (![pgrp, ttyNr, tpgid].every((n) => Number.isSafeInteger(n))) return undefined;
  return { pgrp: pgrp as number, ttyNr: ttyNr as number, tpgid: tpgid as number };
}

/** `stty -a` output says TOSTOP is on: the flag `tostop`, not `-tostop`. */
export function sttySaysTostop(output: string): boolean {
  return /(^|\s)tostop(\s|$)/.test(output);
}

/**
 * A background job of this terminal: the terminal written to (`ttyRdev`, its device number) is
 * the controlling terminal, which has a foreground group, and it is not ours. A write to any
 * other terminal, or with no controlling terminal, never raises SIGTTOU.
 */
export function isBackgroundJobOf(stat: JobControlStat, ttyRdev: number): boolean {
  return stat.ttyNr !== 0 && stat.ttyNr === ttyRdev && stat.tpgid > 0 && stat.tpgid !== stat.pgrp;
}
