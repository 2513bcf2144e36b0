// Redirect URLs: parameters are added to the registered callback without disturbing its own.

/** `base` with `params` appended to its query string (undefined values skipped). */
export function appendQuery(
  base: string,
  params: Readonly<Record<string, string | undefined>>,
): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.toString();
}
