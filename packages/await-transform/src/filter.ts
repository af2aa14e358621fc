import { createFilter } from '@rollup/pluginutils';
import type { AwaitTransformOptions, IdFilter } from './options.ts';

const SCRIPT = /\.[cm]?[jt]sx?$/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;
/** The runtime the rewritten code imports: rewriting it would make every helper call itself. */
const OWN = /[\\/](?:browser-zone[\\/](?:dist|src)|@tasklocal[\\/]browser-zone)[\\/]/;

const EXPECTED = 'a glob string, a RegExp, an array of those, or a function `(id: string) => boolean`';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${String(value)} (a ${typeof value})`;
}

function isPattern(value: unknown): value is string | RegExp {
  return typeof value === 'string' || value instanceof RegExp;
}

/** Throws a `TypeError` naming `name` unless `value` is something `createFilter` or a function of the id can be. */
function check(name: 'include' | 'exclude', value: unknown): void {
  if (value === undefined || value === null || typeof value === 'function' || isPattern(value)) return;
  if (Array.isArray(value)) {
    const index = value.findIndex((item) => !isPattern(item));
    if (index === -1) return;
    throw new TypeError(
      `Expected the \`${name}\` option to be ${EXPECTED}, got an array with ${describe(value[index])} at index ${index}: an array may hold only glob strings and RegExps.`,
    );
  }
  throw new TypeError(
    `Expected the \`${name}\` option to be ${EXPECTED}, got ${describe(value)}. For example \`${name}: 'src/**/*.ts'\` or \`${name}: /\\.ts$/\`.`,
  );
}

/**
 * Which ids the plugin rewrites: the `include` and `exclude` options read as `createFilter` reads
 * them, with a function allowed on either side. Virtual modules (`\0` ids) and the runtime are never
 * rewritten; a `?query` or `#hash` is not part of the id the options see.
 */
export function createIdFilter(include: unknown, exclude: unknown): (id: string) => boolean {
  check('include', include);
  check('exclude', exclude);
  const includeFn = typeof include === 'function' ? (include as (id: string) => boolean) : undefined;
  const excludeFn = typeof exclude === 'function' ? (exclude as (id: string) => boolean) : undefined;
  const patterns = createFilter(
    includeFn !== undefined
      ? null
      : (((include as IdFilter | null | undefined) ?? SCRIPT) as string | RegExp | readonly (string | RegExp)[]),
    excludeFn !== undefined
      ? null
      : (((exclude as IdFilter | null | undefined) ?? NODE_MODULES) as string | RegExp | readonly (string | RegExp)[]),
  );
  return (id) => {
    if (id.includes('\0')) return false;
    const file = id.replace(/[?#].*$/, '');
    if (OWN.test(file)) return false;
    if (excludeFn?.(file) === true) return false;
    if (includeFn !== undefined && includeFn(file) !== true) return false;
    return patterns(file);
  };
}

/**
 * The plugin's options, checked where the plugin is created (webpack's unplugin would only build
 * it when the compiler applies it, far from the config line that is wrong).
 */
export function checkOptions(raw: unknown): AwaitTransformOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TypeError(
      `Expected the \`options\` of the await transform plugin to be an object such as \`{ include, exclude, runtime }\` or nothing, got ${Array.isArray(raw) ? 'an array' : `${String(raw)} (a ${typeof raw})`}.`,
    );
  }
  const runtime = (raw as { runtime?: unknown }).runtime;
  if (runtime !== undefined && runtime !== null && typeof runtime !== 'string') {
    throw new TypeError(
      `Expected the \`runtime\` option to be a module specifier string such as \`'@tasklocal/browser-zone/runtime'\`, got ${String(runtime)} (a ${typeof runtime}).`,
    );
  }
  check('include', (raw as { include?: unknown }).include);
  check('exclude', (raw as { exclude?: unknown }).exclude);
  return raw as AwaitTransformOptions;
}
