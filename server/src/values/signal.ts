/**
 * --signal=[{R|B}:]sig[@secs]: get_signal_opts() and sig_name2num() in
 * src/common/proc_args.c, as sbatch runs them in 22.05.
 *
 * - Leading flags, any case: `R`, then (sbatch only) `B`, then `R` again; then one optional
 *   `:`. So `B:USR1`, `b:usr1`, `RB:10`, `BR:10` and even `BUSR1` are accepted.
 * - The signal: a number (strtol, then only white space), or a name with an optional `SIG`
 *   prefix: HUP INT QUIT ABRT KILL ALRM TERM USR1 USR2 URG CONT STOP TSTP TTIN TTOU XCPU
 *   (23.11 adds CHLD and PIPE). The result is cast to uint16_t and must not be 0, so 0,
 *   65536 and unknown names are rejected while 70000 is quietly 4464.
 * - `@secs`: strtol, 0..65535, nothing after it. No `@` means 60 seconds; `@` alone is 0.
 * Errors: "Invalid --signal specification".
 */
import { strtol, toUint16 } from './cNumbers';
import type { ValueChecker, ValueContext, ValueIssue } from './valueCheck';
import { plural, quote, releaseAtLeast } from './wording';

export interface SignalSpec {
  readonly signal: number;
  /** SIG-less name when Slurm knows one, e.g. "USR1". */
  readonly name?: string;
  /** Seconds before the end of the time limit. */
  readonly seconds: number;
  /** `B:`: only the batch shell is signalled. */
  readonly batchOnly: boolean;
  /** `R:`: the job may overlap a reservation with MaxStartDelay. */
  readonly reservation: boolean;
}

const NAMES_2205: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, ALRM: 14, TERM: 15, USR1: 10, USR2: 12,
  URG: 23, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, XCPU: 24,
};
const NAMES_2311: Record<string, number> = { CHLD: 17, PIPE: 13 };

/** Linux x86-64/arm64 numbering, for hover text. */
const LINUX_NAMES: Record<number, string> = {
  1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 5: 'TRAP', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL',
  10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM', 16: 'STKFLT',
  17: 'CHLD', 18: 'CONT', 19: 'STOP', 20: 'TSTP', 21: 'TTIN', 22: 'TTOU', 23: 'URG', 24: 'XCPU',
  25: 'XFSZ', 26: 'VTALRM', 27: 'PROF', 28: 'WINCH', 29: 'IO', 30: 'PWR', 31: 'SYS',
};

const FORM = 'write [R:|B:]<signal>[@<seconds>], e.g. B:USR1@90';

function knownNames(context?: ValueContext): Record<string, number> {
  return releaseAtLeast(context, '23.11') ? { ...NAMES_2205, ...NAMES_2311 } : NAMES_2205;
}

export const checkSignal: ValueChecker<SignalSpec> = (value, _optionName, context) => {
  let i = 0;
  let reservation = false;
  let batchOnly = false;
  if (/[rR]/.test(value[i] ?? '')) { reservation = true; i++; }
  if (/[bB]/.test(value[i] ?? '')) { batchOnly = true; i++; }
  if (/[rR]/.test(value[i] ?? '')) { reservation = true; i++; }
  if (value[i] === ':') i++;
  const at = value.indexOf('@', i);
  const sigText = value.slice(i, at < 0 ? undefined : at);
  const sig = signalNumber(sigText, context);
  const issues: ValueIssue[] = [];
  if (sig.value === 0) {
    return {
      issues: [{
        code: 'SBATCH034',
        message: `sbatch rejects this: ${sigText.trim() === '' ? 'no signal is given' : `${quote(sigText)} is not a signal ${sig.why}`}` +
          `${/^[rb]:/i.test(sigText) ? ` (the R and B flags go together before a single colon, e.g. ${quote(`${value.slice(0, i - 1)}${sigText[0]}:${sigText.slice(2)}`)})` : ''}` +
          ` (${FORM}). sbatch says: Invalid --signal specification.`,
        start: i,
        end: at < 0 ? value.length : at,
      }],
    };
  }
  const cast = sig.written !== undefined && BigInt(sig.value) !== sig.written;
  if (sig.numeric && (cast || sig.value > 64)) {
    issues.push({
      code: 'SBATCH112',
      message: cast
        ? `sbatch keeps only 16 bits of ${quote(sigText.trim())} and sends signal ${sig.value}, which is not what was written.`
        : `Signal ${sig.value} does not exist on Linux (1–64); use a name such as USR1.`,
      start: i,
      end: at < 0 ? value.length : at,
    });
  }
  let seconds = 60;
  if (at >= 0) {
    const n = strtol(value, at + 1);
    if (n.value < 0n || n.value > 65535n || (n.digits ? n.end : at + 1) !== value.length) {
      return {
        issues: [{
          code: 'SBATCH034',
          message: `sbatch rejects this: the time after \`@\` must be a whole number of seconds from 0 to 65535 (${FORM}). sbatch says: Invalid --signal specification.`,
          start: at + 1,
          end: value.length,
        }],
      };
    }
    seconds = Number(n.value);
    if (!n.digits) {
      issues.push({ code: 'SBATCH112', message: 'Nothing follows `@`, so sbatch reads 0 seconds: the signal comes only when the time limit is reached. Without `@` the default is 60 seconds.', start: at, end: value.length });
    }
  }
  const name = sig.name ?? LINUX_NAMES[sig.value];
  const who = batchOnly ? 'to the batch shell only' : 'to every job step (not the batch shell)';
  const meaning = `send ${name ? `SIG${name}` : `signal ${sig.value}`} ${who}, ${plural(seconds, 'second')} before the time limit` +
    (reservation ? '; the job may overlap a reservation with MaxStartDelay' : '');
  return {
    issues,
    meaning,
    parsed: { signal: sig.value, ...(name ? { name } : {}), seconds, batchOnly, reservation },
  };
};

/** sig_name2num() cast to uint16_t: 0 means rejected. */
function signalNumber(text: string, context?: ValueContext): { value: number; written?: bigint; numeric: boolean; name?: string; why: string } {
  const n = strtol(text);
  if (n.digits) {
    if (!/^\s*$/.test(text.slice(n.end))) return { value: 0, numeric: true, why: 'number' };
    return { value: toUint16(n.value), written: n.value, numeric: true, why: 'number' };
  }
  const word = text.replace(/^\s+/, '').replace(/^sig/i, '').replace(/\s+$/, '').toUpperCase();
  const known = knownNames(context);
  if (word in known) return { value: known[word]!, numeric: false, name: word, why: '' };
  const later = word in NAMES_2311 ? `name sbatch knows before 23.11 (use the number ${NAMES_2311[word]})` : 'name or number sbatch knows';
  return { value: 0, numeric: false, why: later };
}
