export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  headers: Headers;
}

/** One GraphQL request over real HTTP. */
export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Non-JSON answer (${res.status}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, data: body.data ?? undefined, errors: body.errors, headers: res.headers };
}

/** The data of a request that must succeed; throws with the errors otherwise. */
export async function gqlOk<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
  const result = await gql<T>(url, query, variables, { token });
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The first error's code, for tests of failures. */
export function codeOf(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
