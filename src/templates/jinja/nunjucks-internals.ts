/**
 * Typed access to the parts of nunjucks this renderer uses: its lexer, parser and node classes. Only the
 * front end is used; nunjucks' code generator and runtime are not (see jinja-renderer.ts for why).
 */
import * as nunjucks from 'nunjucks';
import type { Node, NodeList } from './jinja-ast';

export interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

export interface Tokenizer {
  lineno: number;
  colno: number;
  str: string;
  index: number;
  in_code: boolean;
  forwardN(n: number): void;
  nextToken(): Token | null;
  current(): string;
  forward(): void;
  isFinished(): boolean;
}

export type TokenizerConstructor = new (src: string, opts: object) => Tokenizer;

/** The nunjucks Parser methods the Jinja2 parser calls or overrides. */
export interface NunjucksParser {
  tokens: Tokenizer;
  peeked: Token | null;
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  nextToken(withWhitespace?: boolean): Token | null;
  peekToken(): Token | null;
  pushToken(tok: Token | null): void;
  fail(msg: string, lineno?: number, colno?: number): never;
  skip(type: string): boolean;
  expect(type: string): Token;
  skipValue(type: string, val: string): boolean;
  skipSymbol(val: string): boolean;
  advanceAfterBlockEnd(name?: string): Token;
  parseExpression(): Node;
  parseInlineIf(): Node;
  parseOr(): Node;
  parseIn(): Node;
  parseIs(): Node;
  parseCompare(): Node;
  parseConcat(): Node;
  parseAdd(): Node;
  parseMul(): Node;
  parsePow(): Node;
  parseUnary(noFilters?: boolean): Node;
  parsePrimary(noPostfix?: boolean): Node;
  parsePostfix(node: Node, dotConsumed?: Token): Node;
  parseFilter(node: Node): Node;
  parseFilterName(): Node;
  parseFilterArgs(node: Node): Node[];
  parseAggregate(): Node;
  parseSignature(tolerant?: boolean, noParens?: boolean): NodeList | null;
  parseUntilBlocks(...names: string[]): NodeList;
  parseStatement(): Node | null;
  parseAsRoot(): NodeList;
}

export type ParserConstructor = new (tokens: Tokenizer) => NunjucksParser;

type NodeConstructor = new (lineno: number, colno: number, ...fields: unknown[]) => Node;

interface Internals {
  lexer: Record<string, string> & { lex(src: string, opts: object): Tokenizer };
  parser: { Parser: ParserConstructor };
  nodes: Record<string, NodeConstructor>;
}

const internals = nunjucks as unknown as Internals;

export const T = {
  STRING: internals.lexer.TOKEN_STRING,
  DATA: internals.lexer.TOKEN_DATA,
  BLOCK_START: internals.lexer.TOKEN_BLOCK_START,
  VARIABLE_START: internals.lexer.TOKEN_VARIABLE_START,
  BLOCK_END: internals.lexer.TOKEN_BLOCK_END,
  VARIABLE_END: internals.lexer.TOKEN_VARIABLE_END,
  LEFT_PAREN: internals.lexer.TOKEN_LEFT_PAREN,
  RIGHT_PAREN: internals.lexer.TOKEN_RIGHT_PAREN,
  LEFT_BRACKET: internals.lexer.TOKEN_LEFT_BRACKET,
  RIGHT_BRACKET: internals.lexer.TOKEN_RIGHT_BRACKET,
  LEFT_CURLY: internals.lexer.TOKEN_LEFT_CURLY,
  RIGHT_CURLY: internals.lexer.TOKEN_RIGHT_CURLY,
  OPERATOR: internals.lexer.TOKEN_OPERATOR,
  COMMA: internals.lexer.TOKEN_COMMA,
  COLON: internals.lexer.TOKEN_COLON,
  PIPE: internals.lexer.TOKEN_PIPE,
  INT: internals.lexer.TOKEN_INT,
  FLOAT: internals.lexer.TOKEN_FLOAT,
  BOOLEAN: internals.lexer.TOKEN_BOOLEAN,
  NONE: internals.lexer.TOKEN_NONE,
  SYMBOL: internals.lexer.TOKEN_SYMBOL,
  REGEX: internals.lexer.TOKEN_REGEX,
} as const;

export const nodes = internals.nodes;
export const NunjucksParserBase = internals.parser.Parser;
/** nunjucks does not export its Tokenizer class; an instance leads to it. */
export const NunjucksTokenizerBase = internals.lexer.lex('', {}).constructor as TokenizerConstructor;

/** A nunjucks node instance. */
export function node<T extends Node>(kind: string, at: { lineno: number; colno: number }, ...fields: unknown[]): T {
  return new nodes[kind](at.lineno, at.colno, ...fields) as T;
}
