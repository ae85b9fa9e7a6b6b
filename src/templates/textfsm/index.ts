/** TextFSM (as Python textfsm 1.1.0) and the ntc-templates / clitable index. */
export { TextFsm } from './textfsm';
export type { TextFsmValue } from './textfsm';
export { TextFsmParseError, TextFsmTemplateError } from './textfsm-errors';
export { CliTableError, CliTableIndex } from './cli-table';
export { PythonRegex, PythonRegexError, UnsupportedRegexError } from './python-regex';
