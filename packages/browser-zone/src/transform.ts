import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';

/** Options for {@link transformAwait}. */
export interface TransformAwaitOptions {
  /** The module the transformed code imports its helpers from. Default `@tasklocal/browser-zone/runtime`. */
  readonly runtime?: string;
  /** Emit a source map. Default true. */
  readonly sourceMap?: boolean;
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
}

const NS = '__tl$rt';
const T = '__tl$t';
const C = '__tl$c';
const P = '__tl$p';
const DEFAULT_RUNTIME = '@tasklocal/browser-zone/runtime';

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function newScope(node: Node | undefined, generator: boolean): Scope {
  return { node, generator, awaits: [], yields: [], forAwaits: [], tries: [], returns: [] };
}

function collect(program: Node): Scope[] {
  const scopes: Scope[] = [];
  const visit = (node: Node, scope: Scope | undefined, parent: Node | undefined, labels: Node | undefined): void => {
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
    }
    const labelStart = node.type === 'LabeledStatement' ? (labels ?? node) : undefined;
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child, inner, node, undefined);
      } else if (isNode(value)) {
        visit(value, inner, node, node.type === 'LabeledStatement' && key === 'body' ? labelStart : undefined);
      }
    }
    void parent;
  };
  const top = newScope(undefined, false);
  scopes.push(top);
  visit(program, top, undefined, undefined);
  return scopes;
}

function needsRewrite(scope: Scope): boolean {
  return scope.awaits.length > 0 || scope.forAwaits.length > 0;
}

const RESTORE_IF_PENDING = `if (${C} !== void 0) { ${P} = ${NS}.r(${C}); ${C} = void 0; }`;

function rewriteScope(s: MagicString, scope: Scope): string[] {
  const declared = [T, C, P];
  for (const node of scope.awaits) {
    const argument = node['argument'] as Node;
    s.overwrite(node.start, argument.start, `(${T} = (`, { contentOnly: true });
    s.appendLeft(
      node.end,
      `), ${C} = ${NS}.s(${P}), ${P} = void 0, ${T} = await ${NS}.t(${T}, ${C}), ${P} = ${NS}.r(${C}), ${C} = void 0, ${T})`,
    );
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
  }
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
  for (const node of scope.returns) {
    const argument = node['argument'] as Node;
    s.prependRight(argument.start, `${NS}.rt(`);
    s.appendLeft(argument.end, ')');
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
  const statements = body['body'] as Node[];
  let at = body.start + 1;
  for (const statement of statements) {
    if (statement.type === 'ExpressionStatement' && typeof statement['directive'] === 'string') at = statement.end;
    else break;
  }
  s.prependRight(at, ` ${head}`);
  s.appendLeft(body.end - 1, `${tail} `);
}

/**
 * Rewrites every `await` (and `for await`, and `yield` in async generators)
 * in ES2017+ code so that the context current before it is current again
 * after it, without downleveling anything. Returns undefined when `code` has
 * no `await`.
 * @example
 * ```ts
 * const out = transformAwait('async function f() { await g(); }', 'f.js');
 * ```
 */
export function transformAwait(code: string, id: string, options: TransformAwaitOptions = {}): TransformAwaitResult | undefined {
  if (!code.includes('await')) return undefined;
  const filename = id.replace(/[?#].*$/, '');
  const parsed = parseSync(filename, code, { sourceType: 'module', preserveParens: true });
  if (parsed.errors.length > 0) return undefined;
  const scopes = collect(parsed.program as unknown as Node).filter(needsRewrite);
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
    const declared = rewriteScope(s, scope);
    if (scope.node === undefined) s.prependRight(hashbang, `let ${declared.join(', ')};\n`);
    else wrapFunctionBody(s, scope, declared);
  }
  const runtime = JSON.stringify(options.runtime ?? DEFAULT_RUNTIME);
  s.prependRight(hashbang, `import * as ${NS} from ${runtime};\n`);
  return {
    code: s.toString(),
    map: options.sourceMap === false ? undefined : s.generateMap({ hires: true, source: id, includeContent: true }),
  };
}
