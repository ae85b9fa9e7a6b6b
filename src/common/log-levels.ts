import { LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest logger levels at and above LOG_LEVEL. Read before the app (and its validated config) exists,
 * so an unknown value falls back to 'log' rather than failing.
 */
export function nestLogLevels(level: string | undefined): LogLevel[] {
  const wanted = level === 'info' ? 'log' : (level as LogLevel);
  const index = ORDER.indexOf(wanted);
  return ORDER.slice(0, (index < 0 ? ORDER.indexOf('log') : index) + 1);
}
