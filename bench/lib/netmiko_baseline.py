"""netmiko baseline of bench/ssh.ts, against one fake cisco_ios device (test/support/fake-device).

    /usr/bin/python3 netmiko_baseline.py HOST PORT USER PASSWORD SECRET FIFO_JOBS KEPT_COMMANDS

A FIFO-style job FIFO_JOBS times: connect, enable, one `show version`, disconnect; then one kept-open session:
connect and enable once, KEPT_COMMANDS times `show version`. fast_cli=True throughout. Prints one JSON line with
the times in ms.
"""
import json
import logging
import sys
import time

from netmiko import ConnectHandler


def main():
    host, port, user, password, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    fifo_jobs, kept_commands = int(sys.argv[6]), int(sys.argv[7])
    logging.basicConfig(level=logging.WARNING)
    device = dict(device_type='cisco_ios', host=host, port=port, username=user, password=password, secret=secret,
                  fast_cli=True, timeout=20)
    fifo = []
    for _ in range(fifo_jobs):
        t0 = time.perf_counter()
        conn = ConnectHandler(**device)
        conn.enable()
        out = conn.send_command('show version')
        conn.disconnect()
        fifo.append((time.perf_counter() - t0) * 1000)
        assert 'Cisco IOS' in out, out[:200]
    conn = ConnectHandler(**device)
    conn.enable()
    kept = []
    for _ in range(kept_commands):
        t0 = time.perf_counter()
        out = conn.send_command('show version')
        kept.append((time.perf_counter() - t0) * 1000)
    conn.disconnect()
    assert 'Cisco IOS' in out, out[:200]
    import netmiko
    print(json.dumps({'version': netmiko.__version__, 'fifo_ms': fifo, 'kept_ms': kept}))


if __name__ == '__main__':
    main()
