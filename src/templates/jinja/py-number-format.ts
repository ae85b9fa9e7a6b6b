/**
 * Number formatting as Python's `%f`, `%e`, `%g` and `format()` do it. JS's `toFixed` rounds exact ties
 * away from zero (`(0.5).toFixed(0)` is '1'); Python rounds them to even ('0'), which shows in `'%.1f' % 0.25`
 * and `0.125|round(2)`.
 */

/** `x` with `prec` decimals, ties to even; exact for any double with |x| < 1e21. */
export function toFixedHalfEven(x: number, prec: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  if (abs >= 1e21) return (neg ? '-' : '') + BigInt(Math.round(abs)).toString() + (prec > 0 ? `.${'0'.repeat(prec)}` : '');
  let out = abs.toFixed(prec);
  if (isExactTie(abs, prec)) {
    const longer = abs.toFixed(prec + 1);
    const truncated = prec === 0 ? longer.slice(0, -2) : longer.slice(0, -1);
    const lastDigit = Number(truncated.replace('.', '').slice(-1));
    if (lastDigit % 2 === 0) out = truncated;
  }
  return (neg ? '-' : '') + out;
}

/** Whether the exact decimal value of `abs` is a 5 at decimal `prec + 1` followed only by zeros. */
function isExactTie(abs: number, prec: number): boolean {
  if (prec + 1 > 100) return false;
  const digits = abs.toFixed(100);
  const frac = digits.slice(digits.indexOf('.') + 1);
  return frac[prec] === '5' && /^0*$/.test(frac.slice(prec + 1));
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return x > 0 ? 'inf' : '-inf';
}

/** Python's `round(x, ndigits)` for floats: half to even on the exact binary value. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits >= 0) return Number(toFixedHalfEven(x, Math.min(ndigits, 100)));
  const factor = 10 ** -ndigits;
  const scaled = x / factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return rounded * factor;
}

/** `%e`: mantissa with `prec` decimals and an exponent of at least two digits. */
export function toExponentPy(x: number, prec: number, upper = false): string {
  if (!Number.isFinite(x)) return upper ? nonFinite(x).toUpperCase() : nonFinite(x);
  const [m, e] = x.toExponential(prec).split('e');
  const exp = Number(e);
  const out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

/** `%g`: fixed or exponent form by magnitude, trailing zeros dropped unless `alternate`. */
export function toGeneralPy(x: number, precision: number, upper = false, alternate = false): string {
  if (!Number.isFinite(x)) return upper ? nonFinite(x).toUpperCase() : nonFinite(x);
  const prec = precision === 0 ? 1 : precision;
  if (x === 0) return alternate ? `${Object.is(x, -0) ? '-' : ''}0.${'0'.repeat(prec - 1)}` : Object.is(x, -0) ? '-0' : '0';
  const exp = Number(x.toExponential(prec - 1).split('e')[1]);
  let out = exp >= -4 && exp < prec ? toFixedHalfEven(x, prec - 1 - exp) : toExponentPy(x, prec - 1, upper);
  if (!alternate) out = stripZeros(out);
  return out;
}

function stripZeros(s: string): string {
  const [mant, exp] = s.split(/(?=[eE])/);
  if (!mant.includes('.')) return s;
  const trimmed = mant.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed + (exp ?? '');
}

/** Inserts `sep` every three digits of the integer part. */
export function groupThousands(digits: string, sep: string): string {
  const [int, frac] = digits.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
