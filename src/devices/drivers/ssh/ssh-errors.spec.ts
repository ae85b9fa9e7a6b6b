/** ssh2 and socket errors as DeviceError types, with messages fit for people and free of secrets. */
import { describeTarget, mapConnectError, secretRedactor } from './ssh-errors';

const target = describeTarget({ device_type: 'cisco_ios', host: '10.1.2.3', port: 2222, username: 'admin', timeout: 3 });
const err = (props: Record<string, string>) => Object.assign(new Error(props.message ?? 'x'), props);

describe('ssh errors', () => {
  test.each([
    [{ code: 'ECONNREFUSED' }, 'ConnectionRefusedError', 'Connection refused by 10.1.2.3:2222'],
    [{ level: 'client-timeout', message: 'Timed out while waiting for handshake' }, 'ConnectionTimeoutError', 'Timed out after 3s connecting to admin@10.1.2.3:2222'],
    [{ code: 'ETIMEDOUT' }, 'ConnectionTimeoutError', 'Timed out after 3s connecting to admin@10.1.2.3:2222'],
    [{ code: 'EHOSTUNREACH' }, 'HostUnreachableError', 'Host unreachable: 10.1.2.3:2222 (EHOSTUNREACH)'],
    [{ code: 'ENETUNREACH' }, 'HostUnreachableError', 'Host unreachable: 10.1.2.3:2222 (ENETUNREACH)'],
    [{ code: 'ENOTFOUND' }, 'HostUnreachableError', 'Host unreachable: 10.1.2.3:2222 (ENOTFOUND)'],
    [{ level: 'client-authentication', message: 'All configured authentication methods failed' }, 'AuthenticationError', 'Authentication failed for admin@10.1.2.3:2222'],
    [{ code: 'ECONNRESET' }, 'ConnectionDroppedError', 'Connection to admin@10.1.2.3:2222 was closed by the device during login (ECONNRESET)'],
  ])('%j -> %s', (props, type, message) => {
    const mapped = mapConnectError(err(props), target);
    expect(mapped.type).toBe(type);
    expect(mapped.name).toBe(type);
    expect(mapped.message).toBe(message);
  });

  test('the library text is never passed on', () => {
    const mapped = mapConnectError(err({ message: 'weird failure with password=hunter22' }), target);
    expect(mapped.type).toBe('DeviceError');
    expect(mapped.message).not.toContain('hunter22');
  });

  test('the default port and timeout', () => {
    expect(describeTarget({ device_type: 'linux', host: 'h', username: 'u' })).toEqual({ label: 'u@h:22', timeoutMs: 10_000 });
  });

  test('the redactor hides every secret of the connection', () => {
    const redact = secretRedactor({ device_type: 'cisco_ios', host: 'h', username: 'u', password: 'pw-123', secret: 'pw-123456', passphrase: 'ab' });
    expect(redact('set pw-123456 and pw-123 and ab')).toBe('set ******** and ******** and ab');
  });
});
