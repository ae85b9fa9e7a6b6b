/**
 * Renders epoch milliseconds as ISO 8601 with the offset of the configured zone
 * (`2024-01-01T12:00:00.000+08:00`), as the contract asks.
 */
export class TimeFormatter {
  private readonly parts: Intl.DateTimeFormat | null;

  constructor(readonly timeZone: string) {
    const utc = /^(utc|etc\/utc|z|gmt)$/i.test(timeZone);
    this.parts = utc
      ? null
      : new Intl.DateTimeFormat('en-US', {
          timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
          hour: '2-digit', minute: '2-digit', second: '2-digit',
        });
  }

  format(ms: number): string;
  format(ms: number | null): string | null;
  format(ms: number | null): string | null {
    if (ms === null) return null;
    if (!this.parts) return new Date(ms).toISOString().replace('Z', '+00:00');
    const p = Object.fromEntries(this.parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const localAsUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    const offsetMin = Math.round((localAsUtc - Math.floor(ms / 1000) * 1000) / 60000);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    const pad = (n: number) => String(n).padStart(2, '0');
    const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${millis}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
}
