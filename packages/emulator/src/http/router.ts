// A tiny method + path router: literal segments and `:name` parameters, nothing more.

/** One route: its method, path pattern and the endpoint template it is logged under. */
export interface Route<Handler> {
  readonly method: string;
  /** `/2/users/me`, or with parameters: `/__emulator/apps/:appId/permission`. */
  readonly pattern: string;
  readonly endpoint: string;
  readonly handler: Handler;
}

/** A matched route and its path parameters. */
export interface RouteMatch<Handler> {
  readonly route: Route<Handler>;
  readonly params: Readonly<Record<string, string>>;
}

/** Builds a matcher over `routes`; the first route that matches wins. */
export function createRouter<Handler>(
  routes: readonly Route<Handler>[],
): (method: string, path: string) => RouteMatch<Handler> | undefined {
  const compiled = routes.map((route) => ({ route, segments: route.pattern.split('/') }));
  return (method, path) => {
    const segments = path.split('/');
    for (const { route, segments: pattern } of compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let index = 0; index < pattern.length && matched; index += 1) {
        const expected = pattern[index] as string;
        const actual = segments[index] as string;
        if (expected.startsWith(':')) {
          try {
            params[expected.slice(1)] = decodeURIComponent(actual);
          } catch {
            matched = false;
          }
        } else if (expected !== actual) {
          matched = false;
        }
      }
      if (matched) return { route, params };
    }
    return undefined;
  };
}
