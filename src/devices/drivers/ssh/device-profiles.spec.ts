/** The profile regexes against real prompts and error lines of each vendor. */
import { DEVICE_TYPES } from '../device-driver';
import { anchoredPrompt, findRejection, getProfile } from './device-profiles';

describe('device profiles', () => {
  test('every device type has a profile', () => {
    for (const type of DEVICE_TYPES) expect(getProfile(type).type).toBe(type);
  });

  test.each([
    ['cisco_ios', 'Router>', 'Router'],
    ['cisco_ios', 'core-sw1.lab#', 'core-sw1.lab'],
    ['cisco_ios', 'Router(config-if)#', 'Router'],
    ['arista_eos', 'leaf-01(config-if-Et1)#', 'leaf-01'],
    ['cisco_nxos', 'n9k-1# ', 'n9k-1'],
    ['juniper_junos', 'netops@mx-1> ', 'netops@mx-1'],
    ['juniper_junos', '{master:0}netops@ex-1> ', 'netops@ex-1'],
    ['huawei', '<HUAWEI>', 'HUAWEI'],
    ['linux', 'ops@jump01:~$ ', 'ops@jump01'],
    ['linux', 'root@jump01:/etc# ', 'root@jump01'],
  ] as const)('%s prompt %j has host %j', (type, prompt, host) => {
    expect(prompt.match(getProfile(type).prompt)?.groups?.host).toBe(host);
  });

  test.each([
    ['cisco_ios', 'Router', ['Router#', 'Router>', 'Router(config)#', 'Router(config-router)#'], ['Router2#', 'xRouter#', 'Router# show', '  Router#x']],
    ['juniper_junos', 'ops@mx-1', ['ops@mx-1>', 'ops@mx-1# '], ['ops@mx-2>', 'ops@mx-1>x']],
    ['huawei', 'HW-1', ['<HW-1>', '[HW-1]', '[~HW-1-GigabitEthernet0/0/1]'], ['<HW-2>', '[HW-11]']],
    ['linux', 'ops@jump01', ['ops@jump01:~$ ', 'ops@jump01:/var/log$'], ['ops@jump02:~$ ']],
  ] as const)('%s anchored prompt of %s', (type, host, yes, no) => {
    const re = anchoredPrompt(getProfile(type), host);
    for (const p of yes) expect(p).toMatch(re);
    for (const p of no) expect(p).not.toMatch(re);
  });

  test('a hostname with regex characters is escaped', () => {
    const re = anchoredPrompt(getProfile('cisco_ios'), 'sw.1+');
    expect('sw.1+#').toMatch(re);
    expect('swx11#').not.toMatch(re);
  });

  test.each([
    ['cisco_ios', "% Invalid input detected at '^' marker."],
    ['cisco_ios', '% Incomplete command.'],
    ['cisco_ios', '% Ambiguous command:  "e"'],
    ['arista_eos', "% Invalid input (at token 1: 'bogus')"],
    ['cisco_nxos', "% Invalid command at '^' marker."],
    ['juniper_junos', 'syntax error, expecting <command>.'],
    ['juniper_junos', "unknown command."],
    ['juniper_junos', 'error: configuration check-out failed'],
    ['huawei', "Error: Unrecognized command found at '^' position."],
    ['linux', '-bash: frobnicate: command not found'],
  ] as const)('%s rejects on %j', (type, line) => {
    expect(findRejection(getProfile(type), `some output\n${line}\nmore`)).toBe(line.trim());
  });

  test('ordinary output is not a rejection', () => {
    const out = 'Interface  IP-Address  OK? Method Status  Protocol\nVlan1 unassigned YES unset up up\n% Interface summary';
    expect(findRejection(getProfile('cisco_ios'), out)).toBeUndefined();
  });

  test('config mode: IOS-style, Junos commit, Huawei system-view, none for linux', () => {
    expect(getProfile('cisco_ios').config).toMatchObject({ enter: 'configure terminal', exit: ['end'] });
    expect(getProfile('juniper_junos').config).toMatchObject({ enter: 'configure', exit: ['commit and-quit'] });
    expect(getProfile('huawei').config).toMatchObject({ enter: 'system-view', exit: ['return'] });
    expect(getProfile('linux').config).toBeUndefined();
    expect(getProfile('linux').configUnsupported).toBe('config mode is not supported for linux');
  });
});
