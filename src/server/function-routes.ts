import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A Netlify Functions v2 handler: `export default (request, context) => Response`. */
export type FunctionHandler = (request: Request, context: FunctionContext) => Response | Promise<Response>;

/** The part of Netlify's `Context` that serve can give truthfully. */
export interface FunctionContext {
  params: Record<string, string>;
  requestId: string;
}

export interface FunctionRoute {
  /** The function's file name without extension, as Netlify names it. */
  name: string;
  /** Its `config.path` entries, as written in the file. */
  paths: string[];
  handler: FunctionHandler;
}

const functionFile = /^[^.].*\.(ts|mts|js|mjs)$/;

/**
 * Reads every function in `directory` and keeps those that declare
 * `config.path`: the same files and the same paths Netlify deploys, so the
 * local server and the deployment cannot drift. Background and scheduled
 * functions (no path) are left out: `serve` runs that work in its own worker.
 *
 * @example
 * const routes = await loadFunctionRoutes(path.join(projectRoot, 'netlify/functions'));
 * routes.map((r) => r.paths); // [['/', '/dashboard'], ['/api/github/webhook'], ...]
 */
export async function loadFunctionRoutes(directory: string): Promise<FunctionRoute[]> {
  const files = (await readdir(directory)).filter((f) => functionFile.test(f)).sort();
  const routes: FunctionRoute[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(directory, file)).href)) as {
      default?: unknown;
      config?: { path?: string | string[] };
    };
    const declared = module.config?.path;
    if (declared === undefined) continue;
    if (typeof module.default !== 'function')
      throw new Error(`${file} declares config.path but has no default export handler`);
    routes.push({
      name: file.replace(/\.[^.]+$/, ''),
      paths: typeof declared === 'string' ? [declared] : declared,
      handler: module.default as FunctionHandler,
    });
  }
  return routes;
}

/** One compiled `config.path` pattern. */
interface Compiled {
  route: FunctionRoute;
  regex: RegExp;
  names: string[];
}

/**
 * Netlify's path syntax (URLPattern's pathname): `:name` is one segment,
 * `*` is anything, including slashes. Node 22 has no global URLPattern, and
 * these two are all the functions use.
 */
function compile(route: FunctionRoute, pattern: string): Compiled {
  const names: string[] = [];
  let source = '';
  for (const token of pattern.split(/(:[A-Za-z_][A-Za-z0-9_]*|\*)/)) {
    if (token === '*') {
      names.push(String(names.filter((n) => /^\d+$/.test(n)).length));
      source += '(.*)';
    } else if (token.startsWith(':')) {
      names.push(token.slice(1));
      source += '([^/]+)';
    } else source += token.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return { route, regex: new RegExp(`^${source}$`), names };
}

/**
 * Picks the function a pathname belongs to, in file order, with its params.
 *
 * @example
 * const find = functionMatcher(routes);
 * find('/api/proposals/42')?.route.name; // 'proposals'
 */
export function functionMatcher(routes: FunctionRoute[]) {
  const compiled = routes.flatMap((route) => route.paths.map((p) => compile(route, p)));
  return (pathname: string): { route: FunctionRoute; params: Record<string, string> } | undefined => {
    for (const c of compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      // A null prototype: a path segment named like "__proto__" stays plain data.
      const params: Record<string, string> = Object.create(null);
      c.names.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
      return { route: c.route, params };
    }
    return undefined;
  };
}
