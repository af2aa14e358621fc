import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';

/** Options for {@link transformAwait}. */
export interface TransformAwaitOptions {
  /** The module the transformed code imports its helpers from. Default `@tasklocal/browser-zone/runtime`. */
  readonly runtime?: string;
  /** Emit a source map. Default true. */
  readonly sourceMap?: boolean;
  /**
   * How the file loads the helpers: `module` (an `import`) or `commonjs` (a `require`).
   * Default: `module` for `.mjs` and `.mts` files and for files with `import`, `export`, `import.meta`
   * or top-level `await`; `commonjs` for `.cjs` and `.cts` files and for other files that use `require`,
   * `module` or `exports`. Any other file is a script that neither can load the helpers into: left alone.
   */
  readonly format?: 'module' | 'commonjs';
}

/** The result of {@link transformAwait}, or undefined when the code has nothing to rewrite. */
export interface TransformAwaitResult {
  readonly code: string;
  readonly map: ReturnType<MagicString['generateMap']> | undefined;
}

interface Node {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

/** One async function (or the module's top level) and what in it needs rewriting. */
interface Scope {
  readonly node: Node | undefined;
  readonly generator: boolean;
  readonly awaits: Node[];
  readonly yields: Node[];
  readonly forAwaits: { loop: Node; outer: Node }[];
  readonly tries: Node[];
  readonly returns: Node[];
  /** Statements that end without a `;` of their own (automatic semicolon insertion ended them). */
  readonly unterminated: Node[];
}

const NS = '__tl$rt';
const T = '__tl$t';
const C = '__tl$c';
const P = '__tl$p';
const DEFAULT_RUNTIME = '@tasklocal/browser-zone/runtime';
const SEMICOLON = 0x3b;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function newScope(node: Node | undefined, generator: boolean): Scope {
  return { node, generator, awaits: [], yields: [], forAwaits: [], tries: [], returns: [], unterminated: [] };
}

/** Statements that a `;` ends, or automatic semicolon insertion when the `;` is missing. */
const TERMINATED = new Set(['ExpressionStatement', 'VariableDeclaration', 'ReturnStatement', 'ThrowStatement']);
/** Nodes whose `body` (or `consequent`) is a list of statements. */
const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase', 'TSModuleBlock', 'FunctionBody']);

/** The async scopes of a program, and the statements whose first token follows one that may not end a statement. */
function collect(program: Node, code: string): { scopes: Scope[]; exposed: Set<number> } {
  const scopes: Scope[] = [];
  const exposed = new Set<number>();
  const visit = (node: Node, scope: Scope | undefined, parent: Node | undefined, key: string, labels: Node | undefined): void => {
    let inner = scope;
    if (isFunction(node)) {
      // A plain function ends the async scope; an async one starts its own.
      inner = node['async'] === true ? newScope(node, node['generator'] === true) : undefined;
      if (inner !== undefined) scopes.push(inner);
    } else if (inner !== undefined) {
      switch (node.type) {
        case 'AwaitExpression':
          inner.awaits.push(node);
          break;
        case 'YieldExpression':
          if (inner.generator) inner.yields.push(node);
          break;
        case 'ForOfStatement':
          if (node['await'] === true) inner.forAwaits.push({ loop: node, outer: labels ?? node });
          break;
        case 'TryStatement':
          inner.tries.push(node);
          break;
        case 'ReturnStatement':
          if (!inner.generator && inner.node !== undefined && node['argument'] !== null) inner.returns.push(node);
          break;
      }
      const inForHead = (key === 'init' || key === 'left') && parent !== undefined && parent.type.startsWith('For');
      if (TERMINATED.has(node.type) && !inForHead && code.charCodeAt(node.end - 1) !== SEMICOLON) inner.unterminated.push(node);
    }
    const labelStart = node.type === 'LabeledStatement' ? (labels ?? node) : undefined;
    const list = STATEMENT_LISTS.has(node.type);
    for (const child in node) {
      if (child === 'type' || child === 'start' || child === 'end') continue;
      const value = node[child];
      if (Array.isArray(value)) {
        const statements = list && (child === 'body' || child === 'consequent');
        let previous: Node | undefined;
        for (const item of value) {
          if (!isNode(item)) continue;
          // After a statement that automatic semicolon insertion ended, a line that starts with `(` would continue it.
          if (statements && previous !== undefined && code.charCodeAt(previous.end - 1) !== SEMICOLON) exposed.add(item.start);
          visit(item, inner, node, child, undefined);
          previous = item;
        }
      } else if (isNode(value)) {
        visit(value, inner, node, child, node.type === 'LabeledStatement' && child === 'body' ? labelStart : undefined);
      }
    }
  };
  const top = newScope(undefined, false);
  scopes.push(top);
  visit(program, top, undefined, '', undefined);
  return { scopes, exposed };
}

function needsRewrite(scope: Scope): boolean {
  return scope.awaits.length > 0 || scope.forAwaits.length > 0;
}

const RESTORE_IF_PENDING = `if (${C} !== void 0) { ${P} = ${NS}.r(${C}); ${C} = void 0; }`;

function rewriteScope(s: MagicString, scope: Scope, exposed: Set<number>): string[] {
  const declared = [T, C, P];
  // Where the rewritten code ends an expression that automatic semicolon insertion ended, a `;` keeps it ended.
  const ends = new Set<number>();
  for (const node of scope.awaits) {
    const argument = node['argument'] as Node;
    s.overwrite(node.start, argument.start, `(${T} = (`, { contentOnly: true });
    s.appendLeft(
      node.end,
      `), ${C} = ${NS}.s(${P}), ${P} = void 0, ${T} = await ${NS}.t(${T}, ${C}), ${P} = ${NS}.r(${C}), ${C} = void 0, ${T})`,
    );
    if (exposed.has(node.start)) s.prependRight(node.start, ';');
    ends.add(node.end);
  }
  for (const node of scope.yields) {
    const argument = node['argument'] as Node | null;
    const keyword = node['delegate'] === true ? 'yield*' : 'yield';
    if (argument === null) {
      s.prependRight(node.start, `(${P} = ${NS}.y(${P}), `);
      s.appendLeft(node.end, ')');
    } else {
      s.overwrite(node.start, argument.start, `(${T} = (`, { contentOnly: true });
      s.appendLeft(node.end, `), ${P} = ${NS}.y(${P}), ${keyword} ${T})`);
    }
    if (exposed.has(node.start)) s.prependRight(node.start, ';');
    ends.add(node.end);
  }
  for (const node of scope.returns) {
    const argument = node['argument'] as Node;
    s.prependRight(argument.start, `${NS}.rt(`);
    s.appendLeft(argument.end, ')');
    ends.add(argument.end);
  }
  for (const node of scope.unterminated) if (ends.has(node.end)) s.appendLeft(node.end, ';');
  scope.forAwaits.forEach(({ loop, outer }, index) => {
    const f = `__tl$f${scope.forAwaits.length - 1 - index}`;
    declared.push(f);
    const right = loop['right'] as Node;
    const body = loop['body'] as Node;
    s.prependRight(right.start, `(${f} = ${NS}.fa((`);
    s.appendLeft(right.end, `), ${P}), ${P} = void 0, ${f})`);
    const enter = `${P} = ${f}.e(); try {`;
    const leave = `} finally { ${f}.p = ${P}; ${P} = void 0; }`;
    if (body.type === 'BlockStatement' && body.end - body.start === 2) {
      // `{}`: one insertion, or the two would meet at one position in the wrong order.
      s.prependRight(body.start + 1, ` ${enter} ${leave} `);
    } else if (body.type === 'BlockStatement') {
      s.prependRight(body.start + 1, ` ${enter}`);
      s.appendLeft(body.end - 1, `${leave} `);
    } else {
      s.prependRight(body.start, `{ ${enter} `);
      s.appendLeft(body.end, ` ${leave} }`);
    }
    s.prependRight(outer.start, 'try { ');
    s.appendLeft(outer.end, ` } finally { ${P} = ${f}.x(); }`);
  });
  for (const node of scope.tries) {
    const handler = node['handler'] as Node | null;
    const finalizer = node['finalizer'] as Node | null;
    if (handler !== null) s.prependRight((handler['body'] as Node).start + 1, ` ${RESTORE_IF_PENDING}`);
    if (finalizer !== null) s.prependRight(finalizer.start + 1, ` ${RESTORE_IF_PENDING}`);
  }
  return declared;
}

function wrapFunctionBody(s: MagicString, scope: Scope, declared: string[]): void {
  const fn = scope.node as Node;
  const body = fn['body'] as Node;
  const head = `let ${declared.join(', ')}; try {`;
  const tail = `} finally { ${NS}.l(${P}); }`;
  if (body.type !== 'BlockStatement') {
    // A concise arrow body becomes a block that returns it.
    s.prependRight(body.start, `{ ${head} return ${NS}.rt(`);
    s.appendLeft(body.end, `); ${tail} }`);
    return;
  }
  const at = afterDirectives(s.original, body['body'] as Node[], body.start + 1);
  s.prependRight(at.index, `${at.semicolon ? ';' : ''} ${head}`);
  s.appendLeft(body.end - 1, `${tail} `);
}

/** Where code can go after a directive prologue (`'use strict'`), and whether the last directive needs its `;`. */
function afterDirectives(code: string, statements: Node[], start: number): { index: number; semicolon: boolean } {
  let index = start;
  for (const statement of statements) {
    if (statement.type !== 'ExpressionStatement' || typeof statement['directive'] !== 'string') break;
    index = statement.end;
  }
  return { index, semicolon: index !== start && code.charCodeAt(index - 1) !== SEMICOLON };
}

const MODULE_EXTENSION = /\.m[jt]s$/;
const COMMONJS_EXTENSION = /\.c[jt]s$/;

function isIdentifier(node: unknown, name: string): boolean {
  return isNode(node) && node.type === 'Identifier' && node['name'] === name;
}

/** Whether a script uses CommonJS: calls `require`, or reads `module` or `exports`. */
function usesCommonJs(node: Node): boolean {
  if (node.type === 'CallExpression' && isIdentifier(node['callee'], 'require')) return true;
  if (node.type === 'MemberExpression' && (isIdentifier(node['object'], 'module') || isIdentifier(node['object'], 'exports'))) return true;
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child) && usesCommonJs(child)) return true;
    } else if (isNode(value) && usesCommonJs(value)) {
      return true;
    }
  }
  return false;
}

interface Parsed {
  readonly program: Node;
  readonly format: 'module' | 'commonjs';
}

/**
 * Parses `code` as the module system will load it: `.mjs`/`.mts` as an ES module, `.cjs`/`.cts` as
 * CommonJS, anything else as an ES module when it has module syntax (`import`, `export`, `import.meta`,
 * top-level `await`), as CommonJS when it uses `require`, `module` or `exports`. Anything else is a
 * script, left alone: undefined.
 */
function parse(filename: string, code: string, format: 'module' | 'commonjs' | undefined): Parsed | undefined {
  const attempt = (sourceType: 'module' | 'commonjs' | 'unambiguous') => {
    const result = parseSync(filename, code, { sourceType, preserveParens: true });
    return result.errors.length > 0 ? undefined : result;
  };
  if (format !== undefined) {
    const result = attempt(format);
    return result && { program: result.program as unknown as Node, format };
  }
  if (MODULE_EXTENSION.test(filename)) return parse(filename, code, 'module');
  if (COMMONJS_EXTENSION.test(filename)) return parse(filename, code, 'commonjs');
  const result = attempt('unambiguous');
  if (result === undefined) return parse(filename, code, 'commonjs');
  if (result.program.sourceType === 'module') return { program: result.program as unknown as Node, format: 'module' };
  const program = result.program as unknown as Node;
  // A script that uses neither `import` nor `require` may be a classic script, where neither loads the helpers.
  return usesCommonJs(program) ? { program, format: 'commonjs' } : undefined;
}

/**
 * Rewrites every `await` (and `for await`, and `yield` in async generators)
 * in ES2017+ code so that the context current before it is current again
 * after it, without downleveling anything. An ES module gets the helpers with
 * an `import`, CommonJS with a `require` (see {@link TransformAwaitOptions.format}).
 * Returns undefined when `code` has no `await`, does not parse, or is a script
 * that is neither.
 * @example
 * ```ts
 * const out = transformAwait('async function f() { await g(); }', 'f.js');
 * ```
 */
export function transformAwait(code: string, id: string, options: TransformAwaitOptions = {}): TransformAwaitResult | undefined {
  if (!code.includes('await')) return undefined;
  const filename = id.replace(/[?#].*$/, '');
  const parsed = parse(filename, code, options.format);
  if (parsed === undefined) return undefined;
  const { scopes: all, exposed } = collect(parsed.program, code);
  const scopes = all.filter(needsRewrite);
  if (scopes.length === 0) return undefined;
  const s = new MagicString(code);
  const hashbang = code.startsWith('#!') ? code.indexOf('\n') + 1 : 0;
  // Inner constructs first: text inserted where one construct ends goes after
  // the inner one's (appendLeft), where one starts, before it (prependRight).
  for (const scope of scopes.reverse()) {
    scope.awaits.reverse();
    scope.yields.reverse();
    scope.forAwaits.reverse();
    scope.tries.reverse();
    scope.returns.reverse();
    const declared = rewriteScope(s, scope, exposed);
    if (scope.node === undefined) s.prependRight(hashbang, `let ${declared.join(', ')};\n`);
    else wrapFunctionBody(s, scope, declared);
  }
  const runtime = JSON.stringify(options.runtime ?? DEFAULT_RUNTIME);
  if (parsed.format === 'module') {
    s.prependRight(hashbang, `import * as ${NS} from ${runtime};\n`);
  } else {
    // After the directives: a `require` before `'use strict'` would turn it into a plain string.
    const at = afterDirectives(code, parsed.program['body'] as Node[], hashbang);
    const load = `const ${NS} = require(${runtime});`;
    s.appendLeft(at.index, at.index === hashbang ? `${load}\n` : `${at.semicolon ? ';' : ''} ${load}`);
  }
  return {
    code: s.toString(),
    map: options.sourceMap === false ? undefined : s.generateMap({ hires: true, source: id, includeContent: true }),
  };
}
