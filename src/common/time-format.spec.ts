import fc from 'fast-check';
import { TimeFormatter } from './time-format';

/** The straightforward rendering (Intl for every instant), the cached formatter must agree with it. */
function reference(timeZone: string, ms: number): string {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.slice(3);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${millis}${offset}`;
}

// Zones with DST (north and south), half- and quarter-hour offsets, a 30-minute DST shift, none at all.
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata',
  'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'UTC'];

describe('TimeFormatter', () => {
  it('renders UTC with +00:00', () => {
    expect(new TimeFormatter('UTC').format(Date.UTC(2024, 0, 1, 12, 0, 0, 5))).toBe('2024-01-01T12:00:00.005+00:00');
    expect(new TimeFormatter('UTC').format(null)).toBeNull();
  });

  it('renders the zone offset of the instant (Shanghai, +08:00)', () => {
    expect(new TimeFormatter('Asia/Shanghai').format(Date.UTC(2024, 0, 1, 20, 30, 0, 123))).toBe('2024-01-02T04:30:00.123+08:00');
  });

  it('agrees with Intl around DST changes, milliseconds either side', () => {
    // 2024 changes: New York 10 Mar 07:00Z and 3 Nov 06:00Z, Berlin 31 Mar 01:00Z, Lord Howe 6 Apr 15:00Z (30 min),
    // St John's 10 Mar 05:30Z (off the hour: an hourly offset cache would be wrong for 30 minutes).
    const changes: [string, number][] = [
      ['America/New_York', Date.UTC(2024, 2, 10, 7)], ['America/New_York', Date.UTC(2024, 10, 3, 6)],
      ['Europe/Berlin', Date.UTC(2024, 2, 31, 1)], ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15)],
      ['America/St_Johns', Date.UTC(2024, 2, 10, 5, 30)],
    ];
    for (const [zone, at] of changes) {
      const time = new TimeFormatter(zone);
      for (const delta of [-60_000, -1, 0, 1, 60_000]) expect(time.format(at + delta)).toBe(reference(zone, at + delta));
    }
  });

  it('agrees with Intl for any instant of 1990-2100 in every zone', () => {
    const formatters = new Map(ZONES.map((z) => [z, new TimeFormatter(z)]));
    fc.assert(fc.property(
      fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
      (zone, ms) => formatters.get(zone)!.format(ms) === reference(zone, ms),
    ), { numRuns: 3000 });
  });
});
